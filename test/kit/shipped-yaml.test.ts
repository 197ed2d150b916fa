import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseShippedYaml, SHIPPED_YAML_DIRS, SHIPPED_YAML_FILE, type CompiledYaml } from '../../src/kit/lazy.js';
import { PACKAGE_ROOT } from '../../src/kit/paths.js';

const shipped = SHIPPED_YAML_DIRS.flatMap((dir) => readdirSync(join(PACKAGE_ROOT, dir)).filter((f) => f.endsWith('.yaml')).map((f) => `${dir}/${f}`));

describe('shipped YAML read from its compiled twin', () => {
  const scratch: string[] = [];
  afterEach(() => {
    for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('covers every shipped profile and target description', () => {
    const compiled = JSON.parse(readFileSync(SHIPPED_YAML_FILE, 'utf8')) as Record<string, unknown>;
    expect(shipped.length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(compiled).sort()).toEqual([...shipped].sort());
  });

  it.each(shipped)('%s reads exactly as its YAML parses, and as a fresh copy each time', (rel) => {
    const file = join(PACKAGE_ROOT, rel);
    const first = parseShippedYaml(file) as Record<string, unknown>;
    expect(first).toEqual(parseYaml(readFileSync(file, 'utf8')));
    first.mutated = true;
    expect(parseShippedYaml(file)).not.toHaveProperty('mutated');
  });

  it('a file whose text no longer matches its compiled hash is parsed as written, never read from the stale entry', () => {
    const file = join(PACKAGE_ROOT, 'profiles/core.yaml');
    const stale: CompiledYaml = { 'profiles/core.yaml': { sha256: '0'.repeat(64), data: { name: 'stale' } } };
    expect(parseShippedYaml(file, stale)).toEqual(parseYaml(readFileSync(file, 'utf8')));
    // The same entry with the file's hash is used as it stands: the table, not the YAML, answered.
    const current: CompiledYaml = { 'profiles/core.yaml': { sha256: createHash('sha256').update(readFileSync(file, 'utf8')).digest('hex'), data: { name: 'from-the-table' } } };
    expect(parseShippedYaml(file, current)).toEqual({ name: 'from-the-table' });
  });

  it('a YAML file outside the package (a user profile directory) is parsed as written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'opc-yaml-'));
    scratch.push(dir);
    const copy = join(dir, 'core.yaml');
    copyFileSync(join(PACKAGE_ROOT, 'profiles/core.yaml'), copy);
    writeFileSync(copy, `${readFileSync(copy, 'utf8')}\nextraKey: from-the-edit\n`);
    expect(parseShippedYaml(copy)).toMatchObject({ extraKey: 'from-the-edit' });
  });
});
