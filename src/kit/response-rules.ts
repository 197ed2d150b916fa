/**
 * The rules ENV-002..005 apply to every protocol response of a run. One definition serves twice: the checks
 * apply them to the run's traffic, and `verify` applies them again to a bundle's transcript, so a pass the
 * transcript contradicts is caught offline.
 */
import { isReasonCode, statusesFor } from '../protocol/codes.js';
import { validateAgainst } from '../protocol/schemas.js';
import { ADMIN_BASE, AGENT_BASE, wrongMethodOnKnownRoute } from '../protocol/types.js';
import type { Exchange } from './check.js';
import { echoedInBody, findLeaks, headerLeaks, successStatusAllowed } from './expect.js';

export interface ResponseRule {
  /** What the offenders do, after "N of M responses …". */
  what: string;
  /** What every response must do, as a finding states it. */
  expected: string;
  /**
   * The problem of this response, or undefined when it keeps the rule; `secrets` are the run's credentials,
   * `readPaths` the target's read routes (offline, where a transcript names none: undefined).
   */
  judge(ex: Exchange, secrets: readonly string[], readPaths?: readonly string[]): string | undefined;
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
      const f = ex.response.framing;
      if (f) return `not valid HTTP: broken framing (${f.reason})${f.firstLine !== undefined ? `; first line: "${f.firstLine}"` : ''}`;
      if (ex.response.json === undefined) return 'body is not JSON';
      const problems = validateAgainst('envelope', ex.response.json);
      return problems.length ? `not an envelope: ${problems.slice(0, 3).join('; ')}` : undefined;
    },
  },
  'ENV-003': {
    what: 'carry an HTTP status that disagrees with their reason code',
    expected: 'HTTP status = registry status of the code (success: 200, or 201 for a POST that creates, but for an auto-execute refusal or a replay)',
    judge(ex, _secrets, readPaths) {
      const j = ex.response.json as { ok?: unknown; code?: unknown } | undefined;
      // Malformed envelopes are ENV-002's finding; only a readable ok/code can be judged here.
      if (!j || typeof j !== 'object' || typeof j.code !== 'string') return undefined;
      const status = ex.response.status;
      if (j.ok === true) {
        // An admin plane answering a create with another 2xx breaks nothing; the agent plane keeps 200 where the brief fixes it.
        const adminCreated = status > 200 && status < 300 && ex.request.path.startsWith(`${ADMIN_BASE}/`);
        return successStatusAllowed(ex) || adminCreated ? undefined : `success envelope with HTTP ${status}`;
      }
      // A code outside the registry has no registry status to disagree with (ENV-003 notes it).
      if (!isReasonCode(j.code)) return undefined;
      // 405 with not_found only as the answer to a wrong method on a known route; a transcript names no read
      // routes, so offline a 405 to a non-GET on the agent plane is taken as one.
      const path = ex.request.path;
      const wrongMethod = wrongMethodOnKnownRoute(ex.request.method, path, readPaths ?? [])
        || (readPaths === undefined && path.startsWith(`${AGENT_BASE}/`) && ex.request.method !== 'GET');
      const allowed = statusesFor(j.code, { wrongMethod });
      return allowed.includes(status) ? undefined : `${j.code} with HTTP ${status}, registry says ${allowed.join('|') || 'not an HTTP error'}`;
    },
  },
  'ENV-004': {
    what: 'are not served as application/json',
    expected: 'Content-Type: application/json',
    judge(ex) {
      // An answer that is not valid HTTP has no headers to judge; ENV-002 reports it.
      if (ex.response.framing) return undefined;
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
  'ENV-011': {
    what: 'are content-coded in a coding the request did not ask for',
    expected: 'no Content-Encoding (or identity) unless the request\'s Accept-Encoding named it',
    judge(ex) {
      if (ex.response.framing) return undefined;
      const coded = ex.response.headers['content-encoding'];
      if (coded === undefined) return undefined;
      const codings = coded.toLowerCase().split(',').map((c) => c.trim()).filter((c) => c !== '' && c !== 'identity');
      const accept = Object.entries(ex.request.headers).find(([k]) => k.toLowerCase() === 'accept-encoding')?.[1] ?? '';
      // Accept-Encoding entries with their weights dropped; q=0 refuses a coding, so it does not count as asked.
      const asked = accept.toLowerCase().split(',').map((a) => a.trim()).filter((a) => a !== '' && !/;\s*q=0(\.0*)?$/.test(a)).map((a) => a.split(';')[0]!.trim());
      const unasked = codings.filter((c) => !asked.includes(c) && !asked.includes('*'));
      if (!unasked.length) return undefined;
      return `Content-Encoding: ${coded.slice(0, 100)} (the request ${accept ? `accepted ${accept.slice(0, 100)}` : 'sent no Accept-Encoding'})`;
    },
  },
} satisfies Record<string, ResponseRule>;

export type ResponseRuleId = keyof typeof RULES;
export const RESPONSE_RULES: Readonly<Record<ResponseRuleId, ResponseRule>> = RULES;
