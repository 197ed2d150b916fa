// What only the real process shows, so these run bin/openport-conform.js as a child: its exit status,
// Ctrl-C, a reader that closes the pipe early, and no colour in a pipe. Everything else about the commands
// runs in-process (test/support/cli.ts), like the last tests here: a second Ctrl-C (in a child the run's
// cleanup may end before it arrives) and a terminal.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../support/net.js';
import { cli, startCli, TestSignals } from '../support/cli.js';
import { SIGNAL_ECHO_MS } from '../../src/cli/run.js';

const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'openport-conform.js');
const mainJs = join(root, 'dist', 'src', 'cli', 'main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (p.endsWith('.ts')) newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

/** CI builds before testing; locally, rebuild only when a source is newer than the compiled CLI. */
function ensureBuilt(): void {
  const newest = Math.max(...['src', 'suites', 'fuzz'].filter((d) => existsSync(join(root, d))).map((d) => newestSource(join(root, d))));
  if (existsSync(mainJs) && statSync(mainJs).mtimeMs >= newest) return;
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], { stdio: 'pipe' });
  } catch {
    // Type errors elsewhere still emit JavaScript; the tests below judge the CLI by its behaviour.
  }
}

/** The environment of a user's shell in a pipe: no colour setting either way. */
function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return env;
}

interface Exit { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function binary(args: string[]): Promise<Exit> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd: work, env: plainEnv(), timeout: 120_000 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number; signal?: NodeJS.Signals }) | null;
      done({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

/**
 * Start the binary; `onOutput` sees the output so far after each chunk and may act on the child (send a
 * signal, close the pipe). Resolves with how the process ended.
 */
function watch(args: string[], onOutput: (out: { stdout: string; stderr: string }, child: ReturnType<typeof spawn>) => void): Promise<Exit> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: work, env: plainEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  for (const name of ['stdout', 'stderr'] as const) {
    child[name]!.on('data', (d: Buffer) => {
      out[name] += String(d);
      onOutput(out, child);
    });
  }
  // Closing our end of the pipe on purpose must not fail the test.
  child.stdout!.on('error', () => undefined);
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, ...out })));
}

let work: string;
beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'opc-process-'));
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the binary', () => {
  it('exits with the code of the exit-code table, and writes no colour into a pipe', async () => {
    const port = await closedPort();
    const [ok, notConformant, usage, unreachable] = await Promise.all([
      binary(['explain', 'AUTHN-004']),
      binary(['run', '--only', 'AUTHN-004', '--fault', 'authn-revocation-cache', '--reporter', 'pretty,json', '--out', join(work, 'fault')]),
      binary(['runn']),
      binary(['run', `http://127.0.0.1:${port}`, '--reporter', 'pretty', '--out', join(work, 'unreachable')]),
    ]);
    expect([ok.code, notConformant.code, usage.code, unreachable.code]).toEqual([0, 1, 2, 3]);
    expect(ok.stdout).toMatch(/^AUTHN-004 {2}MUST · layer core\n/);
    expect(notConformant.stdout).toMatch(/FAIL/);
    expect(usage.stderr).toMatch(/unknown command 'runn'/);
    expect(unreachable.stderr).toMatch(/^openport-conform: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\n$/);
    for (const o of [ok, notConformant, usage, unreachable]) expect(o.stdout + o.stderr).not.toMatch(/\x1b\[/);
  }, 120_000);

  it('mutate judges its faults on a worker thread of the bundle (dist/cli/mutate-thread.js beside its chunks)', async () => {
    const out = await binary(['mutate', '--profile', 'core', '--fault', 'abac-cidr-broken', '--fault', 'authn-revocation-cache', '--threads', '1', '--json']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout) as { ok: boolean; mutants: { fault: string; killed: boolean }[] };
    expect(report.mutants.map((m) => [m.fault, m.killed])).toEqual([['abac-cidr-broken', true], ['authn-revocation-cache', true]]);
    expect(report.ok).toBe(true);
  }, 120_000);

  it('Ctrl-C during a run: cleans up, still writes the report, exits 3', async () => {
    const out = join(work, 'interrupted');
    let sent = false;
    const o = await watch(['run', '--seed', '7', '--reporter', 'pretty,json', '--out', out], ({ stdout }, child) => {
      if (!sent && stdout.includes(' checks\n')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(o.signal).toBeNull();
    expect(o.code).toBe(3);
    expect(o.stderr).toBe('\nopenport-conform: interrupted (SIGINT); cleaning up (Ctrl-C again to exit now)\n');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { verdict: string; cleanup: { failed: string[] } };
    expect(report).toMatchObject({ verdict: 'incomplete', cleanup: { failed: [] } });
  }, 120_000);

  it('a reader that closes the pipe early (| head) ends the run quietly, not with an EPIPE crash', async () => {
    let closed = false;
    const o = await watch(['run', '--seed', '7', '--reporter', 'pretty', '--out', join(work, 'head')], ({ stdout }, child) => {
      if (!closed && stdout.includes(' checks\n')) {
        closed = true;
        child.stdout!.destroy();
      }
    });
    expect(o.signal).toBeNull();
    expect(o.code).toBe(0);
    expect(o.stderr).toBe('');
  }, 120_000);
});

describe('which compiled CLI the binary loads', () => {
  // A package of its own: the real bin/openport-conform.js beside two stand-ins that say which one ran.
  const pkg = mkdtempSync(join(tmpdir(), 'opc-entry-'));
  afterAll(() => rmSync(pkg, { recursive: true, force: true }));
  const stand = (says: string) => `export const processIo = () => ({});\nexport async function main() { process.stdout.write('${says}'); return { code: 0, settled: true }; }\n`;
  mkdirSync(join(pkg, 'bin'));
  copyFileSync(bin, join(pkg, 'bin', 'openport-conform.js'));
  mkdirSync(join(pkg, 'dist', 'src', 'cli'), { recursive: true });
  writeFileSync(join(pkg, 'dist', 'src', 'cli', 'main.js'), stand('modules'));
  mkdirSync(join(pkg, 'dist', 'cli'));
  const bundle = join(pkg, 'dist', 'cli', 'main.js');
  const buildInfo = join(pkg, 'dist', 'tsconfig.tsbuildinfo');
  const ran = () => execFileSync(process.execPath, [join(pkg, 'bin', 'openport-conform.js')], { encoding: 'utf8' });

  it('the bundle when it is at least as new as the last compile, the compiled modules after a compile that did not bundle', () => {
    expect(ran()).toBe('modules');
    writeFileSync(bundle, stand('bundle'));
    expect(ran()).toBe('bundle');
    writeFileSync(buildInfo, '{}');
    utimesSync(buildInfo, 1_000, 1_000);
    utimesSync(bundle, 1_000, 1_000);
    expect(ran()).toBe('bundle');
    utimesSync(buildInfo, 2_000, 2_000);
    expect(ran()).toBe('modules');
  });
});

describe('signals and terminals, in-process', () => {
  it('a second Ctrl-C gives up on cleanup: the process layer is told to exit 3 at once; the same signal delivered twice at once is one', async () => {
    const signals = new TestSignals();
    const run = startCli(['run', '--seed', '7', '--reporter', 'pretty', '--out', join(work, 'twice')], { signals });
    await run.stdout.until((t) => t.includes(' checks\n'));
    signals.send('SIGINT');
    // `timeout -s INT` signals the command and then its process group: one interrupt, delivered twice.
    signals.advance(SIGNAL_ECHO_MS - 1);
    signals.send('SIGINT');
    expect(signals.exitedWith).toBeUndefined();
    signals.advance(1);
    signals.send('SIGINT');
    expect(signals.exitedWith).toBe(3);
    const o = await run.done;
    expect(o.stderr).toBe('\nopenport-conform: interrupted (SIGINT); cleaning up (Ctrl-C again to exit now)\nopenport-conform: interrupted again; exiting without cleanup\n');
    expect(o.code).toBe(3);
  }, 120_000);

  it('a second Ctrl-C during certify names the report so far, which is in its work folder, not in --out', async () => {
    const signals = new TestSignals();
    const out = join(work, 'certify-twice');
    const run = startCli(['certify', '--seed', '7', '--out', out], { signals });
    // Once a result is in: the report so far is written on the first signal when it has one.
    await run.stdout.until((t) => /\bPASS\b/.test(t));
    signals.send('SIGINT');
    signals.advance(SIGNAL_ECHO_MS);
    signals.send('SIGINT');
    expect(signals.exitedWith).toBe(3);
    // Read at once: a real process is gone now; in process the run goes on and removes its work folder.
    const named = /interrupted again; exiting without cleanup; the report so far: (\S+)\n$/.exec(run.stderr.text)?.[1];
    expect(named, run.stderr.text).toMatch(/openport-certify-[^/]+\/report\.json$/);
    // (In process the run may already be over by now: then this is its final report.)
    expect((JSON.parse(readFileSync(named!, 'utf8')) as { results: unknown[] }).results.length).toBeGreaterThan(0);
    expect(existsSync(out)).toBe(false);
    await run.done;
  }, 120_000);

  it('gets colour on a TTY, and none with NO_COLOR', async () => {
    const tty = await cli(['run', '--only', 'DISC-001', '--reporter', 'pretty'], { tty: true, env: { NO_COLOR: '' } });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toMatch(/\x1b\[\d+m/);
    const noColor = await cli(['run', '--only', 'DISC-001', '--reporter', 'pretty'], { tty: true });
    expect(noColor.stdout).not.toMatch(/\x1b\[\d+m/);
  }, 60_000);
});
