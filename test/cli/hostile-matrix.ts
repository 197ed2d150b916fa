// The hostile-target matrix: `run <url>` (in-process, through main(argv, io)) against small misbehaving
// loopback servers (scripts/hostile-servers.mjs). Split across hostile.test.ts and hostile-4mib.test.ts (the
// longest server alone) so that parallel workers share it; this module is what both run. For each: the run ends by itself (the test's generous
// timeout is the only clock; nothing here asserts on timing), with the exit code fixed below, its report
// files written, no stack trace, and no secret of 4 characters or more in full anywhere — although one
// server echoes them.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { startHostile } from '../../scripts/hostile-servers.mjs';
import { cli } from '../support/cli.js';

export const root = resolve(import.meta.dirname, '..', '..');
// Short enough for the servers that never finish an answer, whose every request runs into it.
export const TIMEOUT_MS = 400;
export const ENDS_WITHIN_MS = 150_000;
export const TOKEN = 'op_x';
export const ADMIN_SECRET = 'adm_s3cr3t';
export const validateReport = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(root, 'fixtures', 'schemas', 'report.schema.json'), 'utf8')));
export const REPORTS = ['report.json', 'junit.xml', 'report.sarif', 'summary.md', 'exchanges.jsonl'];

/** Exit code per server: 3 when nothing could be judged, 1 when what came back is itself a failure. */
export const EXPECTED: Record<string, 1 | 3> = {
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
export const NEVER_FINISH = new Set(['silent', 'trickle', 'endless']);
export const ANSWER_TIMEOUT_MS = 10_000;

export interface Outcome { code: number; stdout: string; stderr: string; out: string; files: string[] }

export async function runCli(args: string[], out: string): Promise<Outcome> {
  const o = await cli(['run', ...args, '--out', out, '--reporter', 'pretty,json,junit,sarif,markdown']);
  return { ...o, out, files: readdirSync(out) };
}

export function report(o: Outcome): { exitCode: number; results: { id: string; status: string }[]; evidence?: { journal: { truncated: boolean } } } {
  return JSON.parse(readFileSync(join(o.out, 'report.json'), 'utf8'));
}

/** The directory the runs of this test file write their reports under, removed after its tests. */
export function scratch(): () => string {
  let work = '';
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'opc-hostile-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  return () => work;
}

/** The servers the longest-running hostile-4mib.test.ts takes; hostile.test.ts runs all the others. */
export const OWN_FILE = ['envelope-4mib'];

/** Runs each of `names` (its test), keeping every outcome for the tests that look further into one. */
export function hostileRuns(names: readonly string[], work: () => string): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();

  it.each(names)('%s: ends by itself with its exit code, reports written, no stack trace, no secret', async (name) => {
    const server = await startHostile(name);
    const out = join(work(), name);
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
  return outcomes;
}
