// Every kind of replay line a finding prints is pasted into a shell, as a user would, and must give the
// same finding: the replay command of an embedded run, the fuzz command of a counterexample (a seed above
// 2^31 that once printed negative), and the curl line of a run against a URL (credentials as variables).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'openport-conform.js');

interface Out { code: number; stdout: string; stderr: string }
interface Result { id: string; status: string; message?: string; reproduce?: string }

let work: string;
let pathDir: string;
const servers: ChildProcess[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'opc-replay-'));
  // `openport-conform` on PATH, as after `npm install -g`.
  pathDir = join(work, 'bin');
  mkdirSync(pathDir);
  writeFileSync(join(pathDir, 'openport-conform'), `#!/bin/sh\nexec '${process.execPath}' '${bin}' "$@"\n`);
  chmodSync(join(pathDir, 'openport-conform'), 0o755);
});
afterAll(() => {
  for (const c of servers) c.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

/** Paste `line` into sh in a fresh directory (reports land in its openport-report/). */
function paste(line: string, env: Record<string, string> = {}): Promise<Out & { cwd: string }> {
  const cwd = mkdtempSync(join(work, 'paste-'));
  return new Promise((done) => {
    execFile('sh', ['-c', line], { cwd, env: { ...process.env, NO_COLOR: '1', PATH: `${pathDir}:${process.env.PATH}`, ...env }, timeout: 120_000 }, (err, stdout, stderr) =>
      done({ code: err ? Number(err.code) : 0, stdout, stderr, cwd }));
  });
}

function resultOf(dir: string, id: string): Result {
  const report = JSON.parse(readFileSync(join(dir, 'openport-report', 'report.json'), 'utf8')) as { results: Result[] };
  return report.results.find((r) => r.id === id)!;
}

/** A message without what legitimately differs between runs: case counts, and the tokens each run mints. */
const gist = (m: string | undefined) => (m ?? '').replace(/found after \d+ cases, shrunk \d+ times/, 'found after N cases').replace(/op_[\w-]+…/g, 'op_…');

describe('replay lines work when pasted', () => {
  it('the replay command of an embedded run reproduces the finding (with its --fault)', async () => {
    const first = await paste('openport-conform run --profile core --fault authn-revocation-cache --seed 12 --reporter json');
    expect(first.code).toBe(1);
    const finding = resultOf(first.cwd, 'AUTHN-004');
    expect(finding.status).toBe('fail');
    expect(finding.reproduce).toMatch(/^openport-conform run --profile core --only AUTHN-004 --seed 12 --fault authn-revocation-cache/);
    const again = await paste(finding.reproduce!);
    expect(again.code).toBe(1);
    expect(resultOf(again.cwd, 'AUTHN-004')).toMatchObject({ status: 'fail', message: finding.message });
  }, 120_000);

  it('the fuzz command of a counterexample replays it exactly: unsigned seed, fault and path', async () => {
    const first = await paste('openport-conform fuzz --fault fuzz-echo-token --only FUZZ-003 --seed 4000000000 --reporter json');
    expect(first.code).toBe(1);
    const finding = resultOf(first.cwd, 'FUZZ-003');
    expect(finding.reproduce).toMatch(/^openport-conform fuzz --profile write-lifecycle --only FUZZ-003 --seed 4000000000 --path \d+(:\d+)* --fault fuzz-echo-token$/);
    expect(finding.message).not.toMatch(/seed -/);
    const again = await paste(finding.reproduce!);
    expect(again.code).toBe(1);
    const replayed = resultOf(again.cwd, 'FUZZ-003');
    expect(replayed.status).toBe('fail');
    expect(gist(replayed.message)).toBe(gist(finding.message));
  }, 120_000);

  it('the curl line of a run against a URL shows the defect again, with the token from $OPENPORT_TOKEN', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--json', '--port', '0', '--fault', 'disc-write-no-confirmation'], { stdio: ['ignore', 'pipe', 'inherit'] });
    servers.push(child);
    const served = await new Promise<{ url: string; agentToken: string }>((ok) => {
      let buf = '';
      child.stdout!.on('data', (d) => {
        buf += d;
        if (buf.includes('\n')) ok(JSON.parse(buf.slice(0, buf.indexOf('\n'))));
      });
    });
    const first = await paste(`openport-conform run ${served.url} --only DISC-002 --token "$OPENPORT_TOKEN" --reporter json`, { OPENPORT_TOKEN: served.agentToken });
    expect(first.code).toBe(1);
    const finding = resultOf(first.cwd, 'DISC-002');
    expect(finding.status).toBe('fail');
    expect(finding.reproduce).toContain('"authorization: Bearer $OPENPORT_TOKEN"');
    expect(finding.reproduce).not.toContain(served.agentToken);
    const again = await paste(finding.reproduce!, { OPENPORT_TOKEN: served.agentToken });
    expect(again.code).toBe(0);
    const tools = (JSON.parse(again.stdout) as { data: { tools: { name: string; requiresConfirmation: boolean; kind?: string }[] } }).data.tools;
    // The defect the finding names, seen again in the pasted request's answer: a write tool without confirmation.
    expect(tools.some((t) => t.kind === 'action' && t.requiresConfirmation === false)).toBe(true);
  }, 120_000);
});
