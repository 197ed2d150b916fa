import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/report/output.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opc-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces an existing file whole and leaves no temporary file', async () => {
    const file = join(dir, 'report.json');
    await writeFile(file, 'old content that is longer than the new one');
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  it('leaves neither a partial file nor its temporary when the final rename fails', async () => {
    // A directory where the file should go makes rename fail after the temporary was fully written.
    const file = join(dir, 'junit.xml');
    await mkdir(file);
    await expect(writeFileAtomic(file, 'x'.repeat(100_000))).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['junit.xml']);
    expect(await readdir(file)).toEqual([]);
  });

  it('fails loudly when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'a.json'), '{}')).rejects.toThrow(/ENOENT/);
  });
});
