/**
 * Fingerprints. Of a failure: what identifies it across runs — baselines pin it, SARIF carries it as a
 * partial fingerprint. It reads the result's fields only (id, status, the reason code the target answered,
 * the route of the failing request), so rewording a message, an expectation or a reproduce line never
 * changes it. A failing request the run generated from its seed (a fuzz counterexample) enters as a generated
 * request, not by its route: which route a property fails on first is the seed's choice, and the same defect
 * keeps its fingerprint at every seed. Of a server (serverFingerprintOf, below): what it exposes, for
 * evidence bundles.
 */
import { createHash } from 'node:crypto';
import type { CheckResult } from './result.js';
import { MINTED_ID } from '../kit/check.js';
import { jcs } from '../protocol/hash.js';
import { AGENT_BASE } from '../protocol/types.js';

/** What a fingerprint hashes in place of the route of a failing request the run generated from its seed. */
const GENERATED_ROUTE = '(generated request)';

/** The fields a fingerprint hashes, in order; empty where the result has none (a finding without an exchange). */
export function fingerprintFields(r: Pick<CheckResult, 'id' | 'status' | 'finding'>): { id: string; status: string; code: string; route: string } {
  const route = r.finding?.generated ? GENERATED_ROUTE : (r.finding?.route ?? '');
  return { id: r.id, status: r.status, code: r.finding?.actual.code ?? '', route };
}

/** 16 hex chars of SHA-256 over id, reason code, status and route (the order earlier baselines were written in). */
export function fingerprintOf(r: Pick<CheckResult, 'id' | 'status' | 'finding'>): string {
  const f = fingerprintFields(r);
  return hashFingerprint([f.id, f.code, f.status, f.route]);
}

/** The hash both fingerprint computations share: SHA-256 of the parts, one per line, first 16 hex chars. */
export function hashFingerprint(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

/** One response as the server fingerprint reads it, from a live run or from a bundle's transcript. */
export interface ServedResponse {
  method: string;
  /** Path relative to the target's base URL, with query. */
  path: string;
  status: number;
  body: string;
  /** True when only a sample of the body was kept (bulk traffic): no body to read. */
  sampled?: boolean;
}

/**
 * What a server exposes, not what a run did: SHA-256 digests of canonical (JCS), id-free views — the tools
 * its manifests list (name, schema, scopes, risk: every persona view's tools, united), the set of replies
 * it gave (status, envelope members, reason code), and its /healthz bodies — and one digest over all three.
 * Ids a server mints (app_…, key_…) are replaced by ":id", so two runs against one build share it and a
 * build that lists, rates or answers differently does not.
 */
export interface ServerFingerprint {
  digest: string;
  tools: string;
  replies: string;
  /** Null when no GET /healthz of the run answered 200 with a JSON object (the embedded runtime is not probed: only ENV-009 reads it there). */
  healthz: string | null;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Minted ids anywhere in a JSON value become ":id". */
function idFree(v: unknown): unknown {
  if (typeof v === 'string') return MINTED_ID.test(v) ? ':id' : v;
  if (Array.isArray(v)) return v.map(idFree);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, idFree(x)]));
  return v;
}

function parsed(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

const sortedSet = (s: Set<string>) => [...s].sort();

export function serverFingerprintOf(responses: Iterable<ServedResponse>): ServerFingerprint {
  const tools = new Set<string>();
  const replies = new Set<string>();
  const healthz = new Set<string>();
  for (const r of responses) {
    if (r.status === 0 || r.sampled) continue;
    const json = parsed(r.body);
    const route = r.path.split('?')[0]!;
    const envelope = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
    replies.add(envelope ? `${r.status} {${Object.keys(envelope).sort().join(',')}} ${typeof envelope.code === 'string' ? envelope.code : '-'}` : `${r.status} not-an-object`);
    if (r.method !== 'GET' || r.status !== 200 || !envelope) continue;
    if (route === `${AGENT_BASE}/manifest`) {
      const listed = (envelope.data as { tools?: unknown } | undefined)?.tools;
      if (Array.isArray(listed)) for (const t of listed) tools.add(jcs(idFree(t)));
    } else if (route === '/healthz') healthz.add(jcs(idFree(envelope)));
  }
  const parts = { tools: sha(jcs(sortedSet(tools))), replies: sha(jcs(sortedSet(replies))), healthz: healthz.size ? sha(jcs(sortedSet(healthz))) : null };
  return { digest: sha(jcs(parts)), ...parts };
}
