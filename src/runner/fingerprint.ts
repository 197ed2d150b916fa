/**
 * What identifies a failure across runs: baselines pin it, SARIF carries it as a partial fingerprint. It
 * reads the result's fields only (id, status, the reason code the target answered, the route of the failing
 * request), so rewording a message, an expectation or a reproduce line never changes it.
 */
import { createHash } from 'node:crypto';
import type { CheckResult } from './result.js';

/** The fields a fingerprint hashes, in order; empty where the result has none (a finding without an exchange). */
export function fingerprintFields(r: Pick<CheckResult, 'id' | 'status' | 'finding'>): { id: string; status: string; code: string; route: string } {
  return { id: r.id, status: r.status, code: r.finding?.actual.code ?? '', route: r.finding?.route ?? '' };
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
