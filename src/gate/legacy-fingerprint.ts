/**
 * MIGRATION ONLY. Baselines written before results carried their finding as data pinned a fingerprint
 * computed from the result's prose: the first reason code in `actual` and `message`, and the route parsed out
 * of the `reproduce` line. Baselines written before the fingerprint of a generated request left its route
 * out pinned the concrete route of the counterexample. A baseline entry holding either is still accepted for
 * the same failure (and `baseline update` rewrites it to fingerprintOf); nothing else may read the prose.
 * This is the one file outside src/report that applies a pattern to a result's message, actual or reproduce
 * (test/architecture.test.ts names it).
 */
import { routeOf } from '../kit/check.js';
import { fingerprintOf, hashFingerprint } from '../runner/fingerprint.js';
import type { CheckResult } from '../runner/result.js';

/** The route as the old computation parsed it out of the reproduce line. */
function legacyRoute(reproduce: string): string {
  const inProcess = /failing request: ([A-Z]+) (\S+)/.exec(reproduce);
  const curl = /-X ([A-Z]+) .*'(https?:\/\/[^']+|embedded:[^']*)'\s*(?:#|$)/.exec(reproduce);
  const [method, path] = inProcess ? [inProcess[1], inProcess[2]] : curl ? [curl[1], curl[2]!.replace(/^(https?:\/\/[^/]+|embedded:)/, '')] : ['', ''];
  if (!method) return '';
  const normalised = path!.split('?')[0]!.split('/').map((seg) => (/^[a-z]{2,4}_[A-Za-z0-9_-]{6,}$/.test(seg) ? ':id' : seg)).join('/');
  return `${method} ${normalised}`;
}

/** The fingerprint an earlier baseline holds for this failure, computed the old way from its prose. */
export function legacyFingerprint(r: Pick<CheckResult, 'id' | 'status' | 'message' | 'actual' | 'reproduce'>): string {
  const code = /\b(?:agent|common)\.[a-z_]+\b/.exec(`${r.actual ?? ''} ${r.message ?? ''}`)?.[0] ?? '';
  return hashFingerprint([r.id, code, r.status, legacyRoute(r.reproduce ?? '')]);
}

/**
 * The fingerprints earlier baselines hold for this failure: the prose one, and a generated request's by its
 * concrete route (an MCP call's route, its method and tool, is what it was).
 */
export function legacyFingerprints(r: Pick<CheckResult, 'id' | 'status' | 'message' | 'actual' | 'reproduce' | 'finding' | 'exchange'>): string[] {
  const f = r.finding;
  if (!f?.generated || !r.exchange) return [legacyFingerprint(r)];
  const route = f.route?.startsWith('MCP ') ? f.route : routeOf(r.exchange.request);
  return [legacyFingerprint(r), fingerprintOf({ ...r, finding: { ...f, generated: undefined, route } })];
}
