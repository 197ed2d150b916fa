/**
 * The baseline of known failures (openport-baseline.yaml). A baselined failure does not fail the gate; an
 * unlisted one does; an entry whose checks now pass is stale and fails the gate; an expired entry stops
 * suppressing. Entries pin what failed by a fingerprint, so a different failure of the same check is not
 * hidden.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { ToolError } from '../kit/check.js';
import { nearest } from '../runner/profiles.js';
import type { CheckResult, Status } from '../runner/result.js';
import { REQUIREMENTS } from '../protocol/requirements.js';
import { readValidated } from './config.js';

export type Expect = 'fail' | 'warn' | 'blocked';
const BASELINABLE: readonly Status[] = ['fail', 'warn', 'blocked'];

export interface BaselineEntry {
  id: string;
  expect: Expect;
  fingerprint?: string;
  reason: string;
  link?: string;
  /** YYYY-MM-DD: from this day on the entry no longer suppresses. */
  expires?: string;
}

export interface Baseline { entries: BaselineEntry[] }

export interface BaselineOutcome {
  /** The results, with `suppression` set on every baselined failure. */
  results: CheckResult[];
  suppressed: number;
  /** Entries whose checks ran and now pass: remove them (they fail the gate). */
  stale: BaselineEntry[];
  /** Entries past their expiry date: they suppress nothing. */
  expired: BaselineEntry[];
  /** Entries that matched no result (not selected, not run, or a different failure). */
  unmatched: BaselineEntry[];
  /** Failures no entry accepts. */
  unlisted: CheckResult[];
}

export const PLACEHOLDER_REASON = 'TODO: say why this failure is accepted (added by `openport-conform baseline update`)';

function isGlob(id: string): boolean {
  return /[*?]/.test(id);
}

function globRe(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
}

function matchesId(entry: BaselineEntry, id: string): boolean {
  return isGlob(entry.id) ? globRe(entry.id).test(id) : entry.id.toUpperCase() === id.toUpperCase();
}

export function loadBaseline(file: string): Baseline {
  const b = readValidated<Baseline>(file, 'baseline', 'baseline');
  const ids = REQUIREMENTS.map((r) => r.id);
  b.entries.forEach((e, i) => {
    if (!ids.some((id) => matchesId(e, id))) {
      throw new ToolError(`invalid baseline ${file}: /entries/${i}/id "${e.id}" matches no requirement id; nearest: ${nearest(e.id.replace(/[*?]/g, ''), ids).join(', ')}`, 2);
    }
    if (e.expires !== undefined && Number.isNaN(Date.parse(e.expires))) throw new ToolError(`invalid baseline ${file}: /entries/${i}/expires "${e.expires}" is not a date (YYYY-MM-DD)`, 2);
  });
  return b;
}

/** The request a failure points at, without host, query and ids: `POST /api/agent/v1/drafts/:id`. */
export function routeOf(r: CheckResult): string {
  const text = r.reproduce ?? '';
  const inProcess = /failing request: ([A-Z]+) (\S+)/.exec(text);
  const curl = /-X ([A-Z]+) .*'(https?:\/\/[^']+|embedded:[^']*)'\s*(?:#|$)/.exec(text);
  const [method, path] = inProcess ? [inProcess[1], inProcess[2]] : curl ? [curl[1], curl[2]!.replace(/^(https?:\/\/[^/]+|embedded:)/, '')] : ['', ''];
  if (!method) return '';
  const normalised = path!.split('?')[0]!.split('/').map((seg) => (/^[a-z]{2,4}_[A-Za-z0-9_-]{6,}$/.test(seg) ? ':id' : seg)).join('/');
  return `${method} ${normalised}`;
}

/** The first reason code the failure reports (what the server actually answered). */
export function reasonCodeOf(r: CheckResult): string {
  return /\b(?:agent|common)\.[a-z_]+\b/.exec(`${r.actual ?? ''} ${r.message ?? ''}`)?.[0] ?? '';
}

/** 16 hex chars of SHA-256 over what failed: id, reason code, status and normalised route. */
export function fingerprintOf(r: CheckResult): string {
  return createHash('sha256').update([r.id, reasonCodeOf(r), r.status, routeOf(r)].join('\n')).digest('hex').slice(0, 16);
}

function isExpired(e: BaselineEntry, today: Date): boolean {
  return e.expires !== undefined && Date.parse(e.expires) <= today.getTime();
}

function accepts(e: BaselineEntry, r: CheckResult, fp: string): boolean {
  return matchesId(e, r.id) && e.expect === r.status && (e.fingerprint === undefined || e.fingerprint === fp);
}

export function applyBaseline(results: readonly CheckResult[], baseline: Baseline, today = new Date()): BaselineOutcome {
  const live = baseline.entries.filter((e) => !isExpired(e, today));
  const used = new Set<BaselineEntry>();
  const unlisted: CheckResult[] = [];
  const out = results.map((r) => {
    if (!BASELINABLE.includes(r.status)) return r;
    const fp = fingerprintOf(r);
    // An exact id entry is more specific than a glob that also matches.
    const entry = live.find((e) => !isGlob(e.id) && accepts(e, r, fp)) ?? live.find((e) => accepts(e, r, fp));
    if (!entry) {
      unlisted.push(r);
      return r;
    }
    used.add(entry);
    return { ...r, suppression: { justification: entry.reason, ...(entry.link ? { link: entry.link } : {}), fingerprint: fp } };
  });
  const stale: BaselineEntry[] = [];
  const unmatched: BaselineEntry[] = [];
  for (const e of live) {
    if (used.has(e)) continue;
    const mine = results.filter((r) => matchesId(e, r.id));
    // A glob is stale only when none of its checks fails any more; an exact entry when its check passes.
    const nowPasses = mine.some((r) => r.status === 'pass') && !mine.some((r) => BASELINABLE.includes(r.status));
    (nowPasses ? stale : unmatched).push(e);
  }
  return {
    results: out,
    suppressed: out.filter((r) => r.suppression).length,
    stale,
    expired: baseline.entries.filter((e) => isExpired(e, today)),
    unmatched,
    unlisted,
  };
}

/**
 * The baseline a run calls for: one exact entry per failure (fingerprint refreshed), keeping the reason,
 * link and expiry of the entry that covered it before; glob entries that still match a failure stay as they
 * are; entries that match nothing are dropped.
 */
export function updateBaseline(results: readonly CheckResult[], previous: Baseline | undefined): Baseline {
  const old = previous?.entries ?? [];
  const entries: BaselineEntry[] = [];
  const keptGlobs = new Set<BaselineEntry>();
  for (const r of results) {
    if (!BASELINABLE.includes(r.status)) continue;
    const fp = fingerprintOf(r);
    const exact = old.find((e) => !isGlob(e.id) && matchesId(e, r.id));
    const glob = old.find((e) => isGlob(e.id) && accepts(e, r, fp));
    if (!exact && glob) {
      keptGlobs.add(glob);
      continue;
    }
    entries.push({
      id: r.id,
      expect: r.status as Expect,
      fingerprint: fp,
      reason: exact?.reason ?? PLACEHOLDER_REASON,
      ...(exact?.link ? { link: exact.link } : {}),
      ...(exact?.expires ? { expires: exact.expires } : {}),
    });
  }
  return { entries: [...old.filter((e) => keptGlobs.has(e)), ...entries] };
}

export function renderBaseline(b: Baseline): string {
  const header = [
    '# openport-conform baseline of known failures (schema: fixtures/schemas/baseline.schema.json).',
    '# Each entry accepts one failure: id (or glob), expect fail|warn|blocked, fingerprint (what failed),',
    '# reason (required), link, expires (YYYY-MM-DD). Refresh with `openport-conform baseline update`.',
  ];
  return `${header.join('\n')}\n${stringify(b, { lineWidth: 0 })}`;
}
