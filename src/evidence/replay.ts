/**
 * Replay: run the bundle's selection, options and seed again and compare each requirement's outcome. The
 * replay writes a journal of its own, so the journal-wide checks judge every exchange of it as certify's run
 * did. Without admin credentials (a customer with an agent token of their own) it re-runs only the subset
 * the bundle names as customer-checkable, read-only, and compares those.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolError } from '../kit/check.js';
import { JOURNAL_FILE, readJournal } from '../runner/journal.js';
import type { ServerFingerprint } from '../runner/fingerprint.js';
import { run, type RunOptions } from '../runner/run.js';
import type { CheckResult, RunReport, Status } from '../runner/result.js';
import { BUNDLE_PATHS, pickPaths } from '../runner/options.js';
import { FILES, fingerprintOf, originOf, type BundleManifest, type RunRecord } from './bundle.js';
import { harOf } from './har.js';

export interface ReplayOptions {
  /** The checks to replay with (the CLI passes suites/index.ts's CHECKS). */
  checks: RunOptions['checks'];
  /** Absent: the embedded runtime (only for a bundle made embedded). */
  url?: string;
  token?: string;
  adminHeaders?: Record<string, string>;
  /** Embedded only: faults injected on top of the bundle's own. */
  faults?: string[];
}

export interface Difference {
  id: string;
  was: Status | 'absent';
  now: Status | 'absent';
  /** Why it is what it is now: the replay's finding, skip or error message. */
  reason?: string;
}

export interface Replay {
  report: RunReport;
  /** 'customer': an agent token without admin rights re-checked `compared` only. */
  mode: 'full' | 'customer';
  /** The requirements compared (full: every one of either run). */
  compared: string[];
  /** Customer mode: requirements of the subset the replay could not evaluate (skipped), with why. */
  notRechecked: { id: string; reason: string }[];
  differences: Difference[];
  verdict: { was: RunReport['verdict']; now: RunReport['verdict'] };
  /**
   * Full mode: the parts of the server fingerprint the replay saw differently (empty: the same build, as far
   * as a run made alike can tell). Customer mode: undefined, as a token of less reach sees less.
   */
  fingerprint?: (keyof Omit<ServerFingerprint, 'digest'>)[];
}

const reasonOf = (r: CheckResult | undefined): string | undefined => (r?.message ? `${r.message}${r.errorCode ? ` (${r.errorCode})` : ''}` : undefined);

export async function replayBundle(dir: string, recorded: RunReport, m: BundleManifest, opts: ReplayOptions): Promise<Replay> {
  if (opts.url === undefined && !m.target.embedded) throw new ToolError(`the bundle tested ${m.target.url}: give --replay URL (and its credentials)`, 2);
  const target = join(dir, FILES.target);
  // Only what the table records is read back: a bundle cannot smuggle in other run options.
  const again: RunRecord = pickPaths(m.run, BUNDLE_PATHS);
  // An agent token and no admin plane against a server: the customer's re-check of what that token allows.
  const customer = opts.url !== undefined && opts.adminHeaders === undefined;
  if (customer && m.replay.customer.length === 0) throw new ToolError('the bundle names no requirement an agent token alone can re-check; a replay needs --admin-header', 2);
  const work = await mkdtemp(join(tmpdir(), 'openport-replay-'));
  let report: RunReport;
  let fingerprint: Replay['fingerprint'];
  try {
    report = await run({
      checks: opts.checks,
      url: opts.url,
      token: opts.token,
      adminHeaders: opts.adminHeaders,
      ...again,
      ...(customer ? { only: m.replay.customer, exclude: [], safety: 'read-only' as const } : {}),
      // The bundle's faults stay when replaying embedded; against a url only the ones given now apply.
      faults: opts.url === undefined ? [...(again.faults ?? []), ...(opts.faults ?? [])] : opts.faults,
      // The target file travels inside the bundle, as target.yaml.
      targetFile: again.targetFile && existsSync(target) ? target : undefined,
      // Its own journal: checks that judge every exchange of the run need the whole run, not memory's sample.
      journal: { file: join(work, JOURNAL_FILE) },
    });
    if (!customer) {
      const now = fingerprintOf(harOf(await readJournal(join(work, JOURNAL_FILE)), report.tool), originOf(report.target));
      fingerprint = (['tools', 'replies', 'healthz'] as const).filter((k) => now[k] !== m.target.fingerprint[k]);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const before = new Map(recorded.results.map((x) => [x.id, x]));
  const after = new Map(report.results.map((x) => [x.id, x]));
  const notRechecked = customer ? report.results.filter((r) => r.status === 'skip').map((r) => ({ id: r.id, reason: r.message ?? 'skipped' })) : [];
  const compared = customer ? m.replay.customer.filter((id) => !notRechecked.some((n) => n.id === id)) : [...new Set([...before.keys(), ...after.keys()])];
  const differences = compared
    .filter((id) => before.get(id)?.status !== after.get(id)?.status)
    .map((id): Difference => {
      const now = after.get(id);
      const reason = reasonOf(now) ?? (now ? undefined : 'the replay did not run it');
      return { id, was: before.get(id)?.status ?? 'absent', now: now?.status ?? 'absent', ...(reason !== undefined ? { reason } : {}) };
    });
  return { report, mode: customer ? 'customer' : 'full', compared, notRechecked, differences, verdict: { was: recorded.verdict, now: report.verdict }, ...(fingerprint ? { fingerprint } : {}) };
}
