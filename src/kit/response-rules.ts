/**
 * The rules ENV-002..005 apply to every protocol response of a run. One definition serves twice: the checks
 * apply them to the run's traffic, and `verify` applies them again to a bundle's transcript, so a pass the
 * transcript contradicts is caught offline.
 */
import { isReasonCode, statusesFor } from '../protocol/codes.js';
import { validateAgainst } from '../protocol/schemas.js';
import { ADMIN_BASE, AGENT_BASE } from '../protocol/types.js';
import type { Exchange } from './check.js';
import { echoedInBody, findLeaks, headerLeaks } from './expect.js';

export interface ResponseRule {
  /** What the offenders do, after "N of M responses …". */
  what: string;
  /** What every response must do, as a finding states it. */
  expected: string;
  /** The problem of this response, or undefined when it keeps the rule; `secrets` are the run's credentials. */
  judge(ex: Exchange, secrets: readonly string[]): string | undefined;
}

/** The exchanges the journal-wide rules judge: the protocol's planes and /healthz, not a stray probe elsewhere. */
export function onProtocolPlane(ex: Pick<Exchange, 'request'>): boolean {
  const p = ex.request.path;
  return p.startsWith(`${AGENT_BASE}/`) || p.startsWith(`${ADMIN_BASE}/`) || p.startsWith('/healthz');
}

const RULES = {
  'ENV-002': {
    what: 'are not well-formed envelopes',
    expected: '{ok:true, code:"common.success", data} or {ok:false, code, message}',
    judge(ex) {
      if (ex.response.json === undefined) return 'body is not JSON';
      const problems = validateAgainst('envelope', ex.response.json);
      return problems.length ? `not an envelope: ${problems.slice(0, 3).join('; ')}` : undefined;
    },
  },
  'ENV-003': {
    what: 'carry an HTTP status that disagrees with their reason code',
    expected: 'HTTP status = registry status of the code (success: 200)',
    judge(ex) {
      const j = ex.response.json as { ok?: unknown; code?: unknown } | undefined;
      // Malformed envelopes are ENV-002's finding; only a readable ok/code can be judged here.
      if (!j || typeof j !== 'object' || typeof j.code !== 'string') return undefined;
      const status = ex.response.status;
      if (j.ok === true) {
        // The binding fixes 200 for agent-plane successes; an admin plane answering a create with 201 breaks nothing.
        const adminCreated = status > 200 && status < 300 && ex.request.path.startsWith(`${ADMIN_BASE}/`);
        return status === 200 || adminCreated ? undefined : `success envelope with HTTP ${status}`;
      }
      // A code outside the registry has no registry status to disagree with (ENV-003 notes it).
      if (!isReasonCode(j.code)) return undefined;
      const allowed = statusesFor(j.code);
      return allowed.includes(status) ? undefined : `${j.code} with HTTP ${status}, registry says ${allowed.join('|') || 'not an HTTP error'}`;
    },
  },
  'ENV-004': {
    what: 'are not served as application/json',
    expected: 'Content-Type: application/json',
    judge(ex) {
      const ct = ex.response.headers['content-type'];
      return ct !== undefined && /^application\/json\b/i.test(ct.trim()) ? undefined : `Content-Type: ${ct ?? '(none)'}`;
    },
  },
  'ENV-005': {
    what: 'leak internals or secrets in an error body or a header',
    expected: 'error bodies without stack traces, paths, SQL, tokens or secrets; no secret in any header',
    judge(ex, secrets) {
      // An echoed credential in a header is a leak whatever the status.
      const leaks = headerLeaks(ex, secrets);
      const j = ex.response.json as { ok?: unknown } | undefined;
      if (ex.response.status >= 400 || j?.ok === false) leaks.push(...findLeaks(ex.response.text, secrets), ...echoedInBody(ex));
      return leaks.length ? `leaks ${leaks.join('; ')}` : undefined;
    },
  },
} satisfies Record<string, ResponseRule>;

export type ResponseRuleId = keyof typeof RULES;
export const RESPONSE_RULES: Readonly<Record<ResponseRuleId, ResponseRule>> = RULES;
