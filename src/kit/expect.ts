/**
 * Assertions for checks. Each throws a Finding carrying expected, actual and the exchange (the runner turns
 * the exchange into a reproducible curl line). Negative checks assert status, envelope, exact code; the
 * checks themselves add "no state change" and "audit event".
 */
import { isReasonCode, statusesFor, type ReasonCode } from '../protocol/codes.js';
import { redactSecrets, redactToken, secretsIn } from '../protocol/redact.js';
import { wrongMethodOnKnownRoute } from '../protocol/types.js';

export { redactSecrets };
import { Finding, observedAt, type Exchange, type HttpExchangeRequest, type McpWire, type Observation } from './check.js';

export { observedAt };
export { mcpExpectation, mcpWorded } from './mcp-words.js';

/** "HTTP 403 agent.scope_denied" — a short description of what a response was (over MCP: what the call got). */
export function describe(ex: Exchange): string {
  if (ex.mcp) return describeMcp(ex, ex.mcp);
  const j = ex.response.json as { ok?: unknown; code?: unknown; data?: { status?: unknown; autoExecuteDeniedCode?: unknown } } | undefined;
  if (j === undefined) return `HTTP ${ex.response.status} non-JSON body ${JSON.stringify(ex.response.text.slice(0, 80))}`;
  let s = `HTTP ${ex.response.status} ${String(j.code ?? '(no code)')}`;
  if (j.ok === true && j.data && typeof j.data === 'object') {
    if (typeof j.data.status === 'string') s += ` data.status=${j.data.status}`;
    if (typeof j.data.autoExecuteDeniedCode === 'string') s += ` autoExecuteDeniedCode=${j.data.autoExecuteDeniedCode}`;
  }
  return s;
}

/** The JSON-RPC answer to `wire`'s request: the JSON body, or the event of the stream that carries its id. */
export function mcpAnswer(wire: McpWire): { result?: Record<string, unknown>; error?: { code?: unknown; message?: unknown; data?: unknown } } | undefined {
  const text = wire.response?.text ?? '';
  const id = (parseJson(wire.request.body ?? '') as { id?: unknown } | undefined)?.id;
  const candidates = /^\s*[[{]/.test(text) ? [text] : text.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5));
  for (const c of candidates) {
    const m = parseJson(c) as { id?: unknown; result?: unknown; error?: unknown } | undefined;
    if (m && typeof m === 'object' && (m.id === id || id === undefined) && ('result' in m || 'error' in m)) return m as ReturnType<typeof mcpAnswer>;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * What an MCP call got, in MCP's words: "MCP tools/call <action>: isError result agent.scope_denied",
 * "…: JSON-RPC error -32602 \"…\"", "…: HTTP 401 agent.token_invalid" (a refused request or session).
 */
function describeMcp(ex: Exchange, wire: McpWire): string {
  const label = `MCP ${wire.rpc}${wire.tool ? ` ${wire.tool}` : ''}`;
  if (!wire.response) return `${label}: no answer (${wire.error ?? 'the request failed'})`;
  const code = (ex.response.json as { code?: unknown } | undefined)?.code;
  const said = typeof code === 'string' ? code : '(no reason code)';
  if (wire.response.status >= 300) return `${label}: HTTP ${wire.response.status} ${said}`;
  const answer = mcpAnswer(wire);
  if (answer?.error) return `${label}: JSON-RPC error ${String(answer.error.code)} ${typeof code === 'string' ? code : JSON.stringify(String(answer.error.message ?? '').slice(0, 80))}`;
  if (answer?.result?.isError === true) {
    const text = (answer.result.content as { text?: unknown }[] | undefined)?.find((c) => typeof c?.text === 'string')?.text;
    return `${label}: isError result ${typeof code === 'string' ? code : `without a reason code ${JSON.stringify(String(text ?? '').slice(0, 80))}`}`;
  }
  if (answer?.result === undefined) return `${label}: HTTP ${wire.response.status}, no JSON-RPC answer ${JSON.stringify(wire.response.text.slice(0, 80))}`;
  const data = (ex.response.json as { data?: { status?: unknown } } | undefined)?.data;
  return `${label}: result ${said}${data && typeof data === 'object' && typeof data.status === 'string' ? ` data.status=${data.status}` : ''}`;
}

/**
 * Throw a Finding: `expected` as words or as data ({status, code, text}); the observed status and code are
 * those of `ex`, and `pointer` (RFC 6901) names where in its body the answer differs.
 */
export function fail(message: string, expected: string | Observation, actual: string, ex?: Exchange, pointer?: string): never {
  // Over MCP the Finding words message and expectation for the call that was made (src/kit/mcp-words.ts).
  throw new Finding({ message, expected, actual: observedAt(ex, actual, pointer), exchanges: ex ? [ex] : [] });
}

/**
 * A check with several independent cases reports every failing one, not the first: `run` each case (a
 * Finding it throws is kept, anything else propagates), then `done()` throws one Finding that names them all —
 * the first case's expectation and observation, every case's message and exchanges.
 */
export function everyCase(): { run(fn: () => unknown): Promise<void>; done(): void } {
  const found: Finding[] = [];
  return {
    async run(fn) {
      try {
        await fn();
      } catch (e) {
        if (!(e instanceof Finding)) throw e;
        found.push(e);
      }
    },
    done() {
      const [first, ...rest] = found;
      if (!first) return;
      if (rest.length === 0) throw first;
      throw new Finding({
        message: `${found.length} cases fail: ${found.map((f, i) => `(${i + 1}) ${f.message}`).join('; ')}`,
        expected: first.expectation,
        actual: { ...first.observation, text: `${first.actual}; and ${rest.map((f) => f.actual).join('; ')}` },
        exchanges: found.flatMap((f) => f.exchanges),
        ...(first.route !== undefined ? { route: first.route } : {}),
      });
    },
  };
}

/** The one status a code travels with, when the registry gives it exactly one. */
function statusOf(codes: readonly ReasonCode[]): { status?: number } {
  const all = [...new Set(codes.flatMap((c) => statusesFor(c)))];
  return all.length === 1 ? { status: all[0] } : {};
}

function isJsonContentType(ex: Exchange): boolean {
  return /^application\/json\b/i.test(ex.response.headers['content-type'] ?? '');
}

/**
 * Whether a success envelope may travel with `status`. The brief fixes HTTP 200 only for an auto-execute
 * refusal (a draft with its autoExecuteDeniedCode) and an idempotent replay; §5 gives common.success no
 * status, so a POST that creates something (a draft, an execution, a preflight record, an app) may answer 201.
 */
export function successStatusAllowed(ex: Exchange): boolean {
  const status = ex.response.status;
  if (status === 200) return true;
  if (status !== 201 || ex.request.method !== 'POST') return false;
  const data = (ex.response.json as { data?: { autoExecuteDeniedCode?: unknown; replayed?: unknown } } | undefined)?.data;
  return data?.autoExecuteDeniedCode === undefined && data?.replayed !== true;
}

/** Expect `common.success` with HTTP 200 (201 where successStatusAllowed admits it); returns `data`. */
export function expectSuccess<T = any>(ex: Exchange, what: string): T {
  const j = ex.response.json as { ok?: unknown; code?: unknown; data?: unknown } | undefined;
  const statusOk = ex.mcp ? ex.response.status === 200 : successStatusAllowed(ex);
  if (!statusOk || !j || j.ok !== true || j.code !== 'common.success' || !('data' in j)) {
    const pointer = !statusOk || !j ? undefined : j.ok !== true ? '/ok' : j.code !== 'common.success' ? '/code' : '/data';
    const text = ex.mcp ? 'MCP result common.success (no isError)' : `HTTP 200${ex.request.method === 'POST' ? ' (or 201 for a creation)' : ''} {ok:true, code:"common.success", data}`;
    fail(`${what}: expected success`, { status: 200, code: 'common.success', text }, describe(ex), ex, pointer);
  }
  return j.data as T;
}

/**
 * Expect a refusal with one of `codes`, carried with the registry's HTTP status for that code, a JSON
 * content type, ok:false and a string message. Returns the envelope.
 */
export function expectError(
  ex: Exchange,
  codes: ReasonCode | readonly ReasonCode[],
  what: string,
): { code: ReasonCode; message: string; details?: Record<string, unknown> } {
  const want = (Array.isArray(codes) ? codes : [codes]) as readonly ReasonCode[];
  const expected: Observation = {
    ...statusOf(want),
    ...(want.length === 1 ? { code: want[0] } : {}),
    // Over MCP a refusal has no HTTP status of its own (E4 of docs/mcp-binding.md): it is said by its code.
    text: ex.mcp ? `${want.join(' or ')} as an MCP refusal (an isError result, or the JSON-RPC error of a refused request)` : want.map((c) => `HTTP ${statusesFor(c).join('|')} ${c}`).join(' or '),
  };
  const j = ex.response.json as { ok?: unknown; code?: unknown; message?: unknown; details?: unknown } | undefined;
  if (!j || j.ok !== false || typeof j.code !== 'string' || !want.includes(j.code as ReasonCode)) {
    fail(`${what}: expected refusal ${want.join(' or ')}`, expected, describe(ex), ex, !j ? undefined : j.ok !== false ? '/ok' : '/code');
  }
  const code = j.code as ReasonCode;
  expectBearerChallenge(ex, what);
  if (!statusesFor(code, { wrongMethod: wrongMethodOnKnownRoute(ex.request.method, ex.request.path) }).includes(ex.response.status)) {
    fail(`${what}: HTTP status disagrees with the registry for ${code}`, { ...statusOf([code]), code, text: expected.text }, describe(ex), ex);
  }
  if (typeof j.message !== 'string') fail(`${what}: error envelope has no string message`, { text: 'message: string' }, describe(ex), ex, '/message');
  if (!isJsonContentType(ex)) {
    fail(`${what}: error not served as JSON`, 'Content-Type: application/json', `Content-Type: ${ex.response.headers['content-type'] ?? '(none)'}`, ex);
  }
  return { code, message: j.message as string, details: j.details as Record<string, unknown> | undefined };
}

/**
 * Over MCP a 401 carries `WWW-Authenticate: Bearer` (T3 of docs/mcp-binding.md, as MCP's authorization asks):
 * `wire` is the HTTP answer of the MCP endpoint (by default the call's own, when `ex` is a call over MCP).
 */
export function expectBearerChallenge(ex: Exchange, what: string, wire = ex.mcp?.response): void {
  if (wire?.status !== 401) return;
  const challenge = wire.headers['www-authenticate'];
  // One of the challenges (RFC 9110 §11.6.1: several, comma-joined) names the Bearer scheme.
  if (challenge === undefined || !/(?:^|,)\s*bearer(?:\s|,|$)/i.test(challenge)) {
    fail(`${what}: HTTP 401 without a Bearer challenge`, { status: 401, text: 'WWW-Authenticate: Bearer … on HTTP 401 (T3)' }, `WWW-Authenticate: ${challenge ?? '(none)'}`, ex);
  }
}

/** True when the exchange is a refusal (any 4xx/5xx or ok:false) — for "must not succeed" assertions. */
export function isRefusal(ex: Exchange): boolean {
  const j = ex.response.json as { ok?: unknown } | undefined;
  return ex.response.status >= 400 || j?.ok === false;
}

/** The code of an error envelope, or undefined. */
export function codeOf(ex: Exchange): string | undefined {
  const j = ex.response.json as { ok?: unknown; code?: unknown } | undefined;
  return j && j.ok === false && typeof j.code === 'string' ? j.code : undefined;
}

/** Expect an auto-execute refusal: HTTP 200, data.status "draft", data.autoExecuteDeniedCode = code. Returns data. */
export function expectDraftRefusal(ex: Exchange, code: ReasonCode, what: string): { draft: { id: string; status: string }; autoExecuteDeniedCode: string } {
  const data = expectSuccess<any>(ex, what);
  if (data?.status !== 'draft' || data?.autoExecuteDeniedCode !== code || typeof data?.draft?.id !== 'string') {
    const pointer = data?.status !== 'draft' ? '/data/status' : data?.autoExecuteDeniedCode !== code ? '/data/autoExecuteDeniedCode' : '/data/draft/id';
    fail(`${what}: expected a draft with autoExecuteDeniedCode ${code}`, { status: 200, code, text: `HTTP 200 data.status=draft autoExecuteDeniedCode=${code}` }, describe(ex), ex, pointer);
  }
  // §4: a refusal's data is {status:"draft", draft, autoExecuteDeniedCode, review_path}: where a reviewer finds it.
  if (typeof data.review_path !== 'string' || data.review_path === '') {
    fail(`${what}: the refusal carries no review_path`, 'data.review_path, a non-empty string', `review_path ${JSON.stringify(data.review_path)}`, ex);
  }
  return data;
}

const LEAK_PATTERNS: [string, RegExp][] = [
  ['stack trace', /\bat [\w$.<>]+ \(?[^\s()]+:\d+:\d+\)?/],
  ['stack trace', /\b(?:TypeError|ReferenceError|SyntaxError|RangeError): .*\n?\s+at /],
  ['file path', /(?:\/(?:home|usr|var|opt|srv|app|work|tmp|root)\/[\w.-]+\/|[A-Z]:\\\\[\w.-]+\\\\|node_modules[\\/])/],
  ['file path', /\b[\w.-]+\.(?:js|mjs|cjs|ts):\d+/],
  // SQL structure, not English words: "select a container from the list" is prose, "SELECT id FROM t WHERE" is a leak.
  ['SQL', /\bSELECT\s+[\w*.,\s"`]+\s+FROM\s+[\w."`]+\s+(?:WHERE|JOIN|ORDER|LIMIT|GROUP)\b|\bINSERT\s+INTO\s+[\w."`]+\s*\(|\bUPDATE\s+[\w."`]+\s+SET\s+[\w."`]+\s*=|\bDELETE\s+FROM\s+[\w."`]+\s+WHERE\b/i],
  ['SQL', /syntax error at or near|\bSQLSTATE\b|\bER_[A-Z_]{4,}\b|\bSQLITE_[A-Z]+|\bpg_catalog\b/],
  // The authors' token format (§2: "op_ + base64url of 32 random bytes"): other servers' tokens are found as the run's own secrets.
  ['token', /\bop_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/],
];

/** Leaks in a response body: stack traces, file paths, SQL, and any of the given secrets (of MIN_LEAK_SECRET characters or more). */
export function findLeaks(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const [kind, re] of LEAK_PATTERNS) {
    const m = re.exec(text);
    if (m) found.push(`${kind}: ${JSON.stringify(redactSecrets(m[0], secrets).slice(0, 80))}`);
  }
  return [...found, ...secretLeaks(text, secrets)];
}

/** The given secrets (of MIN_LEAK_SECRET characters or more) a text carries, one message each. */
export function secretLeaks(text: string, secrets: readonly string[]): string[] {
  // One pass over the text, however many secrets the run holds (a final check scans thousands of bodies).
  return secretsIn(text, secrets).filter((s) => s.length >= MIN_LEAK_SECRET).map((s) => `secret ${redactToken(s)} echoed`);
}

/** For an exchange read back from the journal (redacted): the credentials its body carried. */
export function echoedInBody(ex: Exchange): string[] {
  return ex.response.echoed?.body ? [`${ex.response.echoed.body} credential(s) echoed in the body (redacted in the journal)`] : [];
}

/**
 * Secrets this short are still redacted everywhere, but not searched for in responses: a 3-character
 * token would "appear" in ordinary text by chance, and a false alarm is as bad as a miss.
 */
export const MIN_LEAK_SECRET = 4;

/** Known secrets echoed in a response's header values (`name: secret…` per hit). */
export function headerLeaks(ex: Exchange, secrets: readonly string[]): string[] {
  // Read back from the journal, the values are redacted: the journal counted the echoes before.
  const found: string[] = ex.response.echoed?.headers ? [`${ex.response.echoed.headers} credential(s) echoed in headers (redacted in the journal)`] : [];
  for (const [name, value] of Object.entries(ex.response.headers)) {
    for (const s of secretsIn(value, secrets)) if (s.length >= MIN_LEAK_SECRET) found.push(`header ${name} echoes secret ${redactToken(s)}`);
  }
  return found;
}

export function expectNoLeak(ex: Exchange, secrets: readonly string[], what: string): void {
  const leaks = findLeaks(ex.response.text, secrets);
  if (leaks.length) fail(`${what}: response leaks ${leaks.join('; ')}`, 'no stack trace, path, SQL or token in the body', leaks.join('; '), ex);
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Shell-quote `s`, writing each secret that has a variable as `$VAR` (double quotes, so the shell expands
 * it) and every other secret as prefix + "…".
 */
function quoteWithVars(s: string, secrets: readonly string[], vars: Readonly<Record<string, string>>): string {
  const used = Object.keys(vars).filter((secret) => secret && s.includes(secret));
  if (used.length === 0) return shellQuote(redactSecrets(s, secrets));
  let text = s;
  used.forEach((secret, i) => (text = text.split(secret).join(`\u0000${i}\u0000`)));
  text = redactSecrets(text, secrets).replace(/[\\"$`]/g, '\\$&');
  return `"${text.replace(/\u0000(\d+)\u0000/g, (_, i: string) => `$${vars[used[Number(i)]!]}`)}"`;
}

/**
 * A curl line that reproduces the request. Secrets the user holds (`vars`: secret → shell variable, e.g.
 * the run's --token → OPENPORT_TOKEN) become variables, so the pasted line works once they are set; any
 * other token (a persona's, revoked after the run) is shown only as prefix + "…".
 */
export function curlLine(req: HttpExchangeRequest, baseUrl: string, secrets: readonly string[] = [], vars: Readonly<Record<string, string>> = {}): string {
  const parts = ['curl', '-sS', '-X', req.method];
  for (const [k, v] of Object.entries(req.headers)) parts.push('-H', quoteWithVars(`${k}: ${v}`, secrets, vars));
  if (req.body !== undefined) parts.push('--data-raw', quoteWithVars(req.body.length > 2000 ? `${req.body.slice(0, 2000)}…` : req.body, secrets, vars));
  parts.push(shellQuote(baseUrl.replace(/\/$/, '') + req.path));
  return parts.join(' ');
}

/** The shell variable replay and curl lines name the run's agent token by. */
export const TOKEN_VAR = 'OPENPORT_TOKEN';

/** The shell variables replay lines use for the credentials a user passed (never printed). */
export function credentialVars(token: string | undefined, adminHeaders: Readonly<Record<string, string>> = {}): Record<string, string> {
  const vars: Record<string, string> = {};
  if (token) vars[token] = TOKEN_VAR;
  for (const [name, value] of Object.entries(adminHeaders)) vars[value] = adminVar(name);
  return vars;
}

export function adminVar(headerName: string): string {
  return `OPENPORT_ADMIN_${headerName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export { isReasonCode };
