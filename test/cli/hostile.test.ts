// The hostile-target matrix: `run <url>` (in-process, through main(argv, io)) against small misbehaving
// loopback servers (scripts/hostile-servers.mjs). For each: the run ends by itself (the test's generous
// timeout is the only clock; nothing here asserts on timing), with the exit code fixed below, its report
// files written, no stack trace, and no secret of 4 characters or more in full anywhere — although one
// server echoes them.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { HOSTILE_NAMES, startHostile, startSlowValid } from '../../scripts/hostile-servers.mjs';
import { cli } from '../support/cli.js';

const root = resolve(import.meta.dirname, '..', '..');
// Short enough for the servers that never finish an answer, whose every request runs into it.
const TIMEOUT_MS = 400;
const ENDS_WITHIN_MS = 150_000;
const TOKEN = 'op_x';
const ADMIN_SECRET = 'adm_s3cr3t';
const validateReport = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(root, 'fixtures', 'schemas', 'report.schema.json'), 'utf8')));
const REPORTS = ['report.json', 'junit.xml', 'report.sarif', 'summary.md', 'exchanges.jsonl'];

/** Exit code per server: 3 when nothing could be judged, 1 when what came back is itself a failure. */
const EXPECTED: Record<string, 1 | 3> = {
  silent: 3,
  trickle: 3,
  huge: 3,
  endless: 3,
  'envelope-4mib': 1,
  redirect: 1,
  'invalid-json': 1,
  'deep-nesting': 1,
  'echo-credentials': 1,
  'close-mid-response': 3,
  'absurd-retry-after': 3,
  '5xx': 1,
};

/**
 * Servers that never finish an answer: each of their requests runs into the short deadline, and their outcome
 * (nothing could be judged) does not depend on how fast the machine is. Every other server answers, and gets a
 * deadline no load can reach, so that what it answered — not the machine — decides the exit code.
 */
const NEVER_FINISH = new Set(['silent', 'trickle', 'endless']);
const ANSWER_TIMEOUT_MS = 10_000;

interface Outcome { code: number; stdout: string; stderr: string; out: string; files: string[] }

async function runCli(args: string[], out: string): Promise<Outcome> {
  const o = await cli(['run', ...args, '--out', out, '--reporter', 'pretty,json,junit,sarif,markdown']);
  return { ...o, out, files: readdirSync(out) };
}

function report(o: Outcome): { exitCode: number; results: { id: string; status: string }[]; evidence?: { journal: { truncated: boolean } } } {
  return JSON.parse(readFileSync(join(o.out, 'report.json'), 'utf8'));
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'opc-hostile-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('hostile-target matrix', () => {
  it('covers every hostile server', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...HOSTILE_NAMES].sort());
  });

  const outcomes = new Map<string, Outcome>();

  it.each(HOSTILE_NAMES)('%s: ends by itself with its exit code, reports written, no stack trace, no secret', async (name) => {
    const server = await startHostile(name);
    const out = join(work, name);
    let o: Outcome;
    try {
      o = await runCli([server.url, '--token', TOKEN, '--admin-header', `authorization: Bearer ${ADMIN_SECRET}`, '--timeout', String(NEVER_FINISH.has(name) ? TIMEOUT_MS : ANSWER_TIMEOUT_MS)], out);
    } finally {
      await server.close();
    }
    outcomes.set(name, o);
    expect(o.code, o.stderr).toBe(EXPECTED[name]);
    for (const f of REPORTS) expect(o.files).toContain(f);
    const r = report(o);
    expect(validateReport(r), JSON.stringify(validateReport.errors)).toBe(true);
    expect(r.exitCode).toBe(EXPECTED[name]);
    const everything = [o.stdout, o.stderr, ...o.files.map((f) => readFileSync(join(out, f), 'utf8'))].join('\n');
    expect(everything).not.toMatch(/\n\s+at [\w$.<>]+ \(|heap out of memory|unexpected error/);
    expect(everything.includes(TOKEN), 'agent token shown in full').toBe(false);
    expect(everything.includes(ADMIN_SECRET), 'admin secret shown in full').toBe(false);
  }, ENDS_WITHIN_MS);

  it('echoed credentials (header and body) fail ENV-005', () => {
    const r = report(outcomes.get('echo-credentials')!);
    expect(r.results.find((x) => x.id === 'ENV-005')?.status).toBe('fail');
  });

  it('a battery cut short by closed sockets is an error, never a vacuous pass', () => {
    const r = report(outcomes.get('close-mid-response')!);
    for (const id of ['ENV-002', 'ENV-003', 'ENV-004', 'ENV-005']) expect(r.results.find((x) => x.id === id)?.status, id).toBe('error');
  });

  it('4 MiB answers to every request: the journal is cut and says so, the checks that needed the dropped exchanges do not pass', () => {
    const r = report(outcomes.get('envelope-4mib')!);
    expect(r.evidence?.journal.truncated).toBe(true);
    const lines = readFileSync(join(outcomes.get('envelope-4mib')!.out, 'exchanges.jsonl'), 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'end', truncated: true });
    for (const id of ['ENV-004', 'ENV-005']) expect(r.results.find((x) => x.id === id)?.status, id).not.toBe('pass');
  });

  it('slow but valid: the reference runtime behind a delay passes the ENV checks (exit 0)', async () => {
    const server = await startSlowValid(20);
    const out = join(work, 'slow-valid');
    let o: Outcome;
    try {
      const admin = Object.entries(server.adminHeaders).map(([k, v]) => ['--admin-header', `${k}: ${v}`]).flat();
      o = await runCli([server.url, '--token', server.token, ...admin, '--only', 'ENV-*', '--timeout', '5000'], out);
    } finally {
      await server.close();
    }
    expect(o.code, o.stdout).toBe(0);
    const everything = [o.stdout, o.stderr, ...o.files.map((f) => readFileSync(join(out, f), 'utf8'))].join('\n');
    expect(everything.includes(server.token)).toBe(false);
  }, ENDS_WITHIN_MS);
});
