// scripts/ensure-mcp-conformance.mjs installOnce: test files in parallel workers that need the same locked tool
// install it once between them (a second `npm ci` would delete the first one's node_modules under a running
// test), and a lock left by an installer that is gone does not block the next one.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const script = resolve(import.meta.dirname, '..', '..', 'scripts', 'ensure-mcp-conformance.mjs');

/**
 * A process that calls installOnce on `dir`: its install appends its pid to `installs`, then writes the tool file
 * half a second later (an install takes a while, and others arrive meanwhile); it prints the tool file's content.
 */
const installer = (dir: string) => `
  const { installOnce } = await import(${JSON.stringify(script)});
  const fs = await import('node:fs');
  const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  installOnce(${JSON.stringify(join(dir, '.installing'))}, ${JSON.stringify(join(dir, 'tool'))}, () => {
    fs.appendFileSync(${JSON.stringify(join(dir, 'installs'))}, process.pid + '\\n');
    sleep(500);
    fs.writeFileSync(${JSON.stringify(join(dir, 'tool'))}, 'installed by ' + process.pid);
  });
  console.log(fs.readFileSync(${JSON.stringify(join(dir, 'tool'))}, 'utf8'));`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const scratch = () => {
  const d = mkdtempSync(join(tmpdir(), 'opc-install-once-'));
  dirs.push(d);
  return d;
};

async function runInstaller(dir: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', installer(dir)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const [code] = await once(child, 'exit');
  return { code, out: out.trim() };
}

describe('installOnce', () => {
  it('installs once for three processes that ask at the same time; each uses that install and the lock is gone after', async () => {
    const dir = scratch();
    const results = await Promise.all([runInstaller(dir), runInstaller(dir), runInstaller(dir)]);
    const installs = readFileSync(join(dir, 'installs'), 'utf8').trim().split('\n');
    expect(installs).toHaveLength(1);
    for (const r of results) expect(r).toEqual({ code: 0, out: `installed by ${installs[0]}` });
    expect(existsSync(join(dir, '.installing'))).toBe(false);
  });

  it('does not install what is there', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'tool'), 'installed by hand');
    expect(await runInstaller(dir)).toEqual({ code: 0, out: 'installed by hand' });
    expect(existsSync(join(dir, 'installs'))).toBe(false);
  });

  it('takes over a lock whose installer is gone', async () => {
    const dir = scratch();
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
    mkdirSync(join(dir, '.installing'));
    writeFileSync(join(dir, '.installing', 'pid'), gone);
    const r = await runInstaller(dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^installed by \d+$/);
    expect(readFileSync(join(dir, 'installs'), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
