/**
 * Runs a selection: normal checks with bounded concurrency (load checks first; a check that only waits gives
 * up its slot meanwhile), then exclusive checks one at a time, then 'final' checks. Every check gets a deadline counted from its last answer, and whatever it throws becomes one CheckResult.
 */
import { primarySource } from '../protocol/sources.js';
import { setMaxListeners } from 'node:events';
import type { Requirement } from '../protocol/requirements.js';
import { Blocked, Finding, oneLine, Skip, ToolError, type BindingName, type CheckDef, type Exchange, type HttpExchangeRequest, type Observation, type RunHint } from '../kit/check.js';
import { MCP_ACCEPT } from './mcp-accept.js';
import { flagOf } from './options.js';
import { createContext, lacks, missing, runSecrets, type CheckState, type RunEnv, type Slot } from './context.js';
import { credentialVars, curlLine, redactSecrets } from '../kit/expect.js';
import type { CheckResult, FindingData, ResultExchange, RunReport, Status } from './result.js';
import type { PlannedCheck, Selection } from './selection.js';

export interface RunnerOptions {
  env: RunEnv;
  concurrency: number;
  signal?: AbortSignal;
  /**
   * How long a check may go without receiving an answer; 'load' checks get the longer one. It counts from the
   * check's start and again from each answer, so a check that keeps getting answers is never cut by the
   * size of what the server returns or how slowly it answers (each request has --timeout, the run
   * --max-time); only a check that waits on nothing that comes (a hang) ends here.
   */
  deadlines?: { normalMs: number; loadMs: number };
  /** A command that replays one check, for findings that carry no single exchange. */
  replay?: (id: string) => string;
  onResult?: (result: CheckResult, done: number, total: number) => void;
}

export const DEFAULT_DEADLINES = { normalMs: 30_000, loadMs: 90_000 };

class TimedOut extends Error {}
/** The run stopped (interrupt, run budget) while the check ran: it ends now, whatever it was waiting for. */
class Stopped extends Error {}

function base(req: Requirement, def: CheckDef): Omit<CheckResult, 'status' | 'durationMs'> {
  return { id: req.id, level: req.level, layer: req.layer, title: req.title, safety: def.safety };
}

/**
 * Over HTTP a curl line reproduces the failing request when every credential in it is the user's own (shown as
 * an environment variable); a request that used a persona the run minted (and revoked at its end) would only
 * get 401 when pasted, so the replay command reproduces it, as it does in-process (same seed and faults).
 */
function reproduceFor(ex: Exchange, env: RunEnv, replay: string | undefined): string {
  const own = credentialVars(env.token, env.adminHeaders);
  const minted = runSecrets(env).filter((s) => !(s in own));
  const sent = ex.mcp?.request ?? ex.request;
  const text = [sent.path, ...Object.values(sent.headers), sent.body ?? ''].join('\n');
  const usesPersona = minted.some((s) => text.includes(s));
  if (ex.mcp) {
    const call = `MCP ${ex.mcp.rpc}${ex.mcp.tool ? ` ${ex.mcp.tool}` : ''}`;
    if (env.binding && !env.transport.embedded && (!usesPersona || !replay)) return mcpCurlLine(ex.mcp.request, new URL(env.binding.endpoint).origin, runSecrets(env), own);
    if (replay) return `${replay}  # failing call: ${call}${env.transport.embedded ? '' : ' (its test key is revoked after the run)'}`;
  }
  if (!env.transport.embedded && (!usesPersona || !replay)) return curlLine(ex.request, env.transport.baseUrl, runSecrets(env), own);
  if (!env.transport.embedded) return `${replay}  # failing request: ${ex.request.method} ${ex.request.path} (its test key is revoked after the run)`;
  const request = `${ex.request.method} ${ex.request.path}`;
  return replay ? `${replay}  # failing request: ${request}` : `${curlLine(ex.request, 'embedded:', runSecrets(env))}  # in-process run: start \`openport-conform serve\` and use its URL and tokens`;
}

/** The MCP protocol version a reproduce line declares when the run's request carried none (in memory). */
const MCP_VERSION = '2025-06-18';

/**
 * Curl lines that reproduce an MCP call when pasted: a session of their own (initialize, whose
 * Mcp-Session-Id answer is read into $S, then notifications/initialized), then the call with the session id and
 * the Accept header Streamable HTTP requires. The run's session is closed by then; its id is not reused.
 */
export function mcpCurlLine(call: HttpExchangeRequest, origin: string, secrets: readonly string[], vars: Readonly<Record<string, string>>): string {
  const { 'mcp-session-id': _session, 'mcp-protocol-version': version = MCP_VERSION, 'content-length': _length, ...headers } = call.headers;
  const post = (body: string): HttpExchangeRequest => ({ method: 'POST', path: call.path, headers: { ...headers, 'content-type': 'application/json', accept: MCP_ACCEPT }, body });
  const init = post(JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: version, capabilities: {}, clientInfo: { name: 'curl', version: '1' } } }));
  const inSession = (req: HttpExchangeRequest) => curlLine(req, origin, secrets, vars).replace(/^curl -sS /, `curl -sS -H "mcp-session-id: $S" -H 'mcp-protocol-version: ${version}' `);
  return [
    `H=$(mktemp)`,
    curlLine(init, origin, secrets, vars).replace(/^curl -sS /, 'curl -sS -o /dev/null -D "$H" '),
    `S=$(tr -d '\\r' < "$H" | awk 'tolower($1)=="mcp-session-id:"{print $2}')`,
    inSession(post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }))),
    inSession(post(call.body ?? '')),
  ].join(' && ');
}

/** Bodies beyond this are cut (a report stays readable; the replay line reproduces the full exchange). */
const BODY_CHARS = 4096;

function cut(text: string): string {
  return text.length > BODY_CHARS ? `${text.slice(0, BODY_CHARS)}… (${text.length - BODY_CHARS} more characters)` : text;
}

/** The exchange as a report shows it: every header value and body scrubbed of the run's secrets. */
function resultExchange(ex: Exchange, secrets: readonly string[]): ResultExchange {
  const headers = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, redactSecrets(String(v), secrets)]));
  // Over MCP the exchange shown is the one on the wire (the JSON-RPC messages), not the envelope view.
  const q = ex.mcp?.request ?? ex.request;
  const r = ex.mcp ? (ex.mcp.response ?? { status: 0, headers: {}, text: ex.mcp.error ?? '' }) : ex.response;
  return {
    request: { method: q.method, path: redactSecrets(q.path, secrets), headers: headers(q.headers), ...(q.body !== undefined ? { body: cut(redactSecrets(q.body, secrets)) } : {}) },
    response: { status: r.status, headers: headers(r.headers), body: cut(redactSecrets(r.text, secrets)) },
  };
}

function errorMessage(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  return process.env.OPENPORT_DEBUG && e.stack ? e.stack : oneLine(e);
}

function outcome(p: PlannedCheck, err: unknown, { notes, partial, blocked }: CheckState, opts: RunnerOptions): Omit<CheckResult, 'durationMs'> {
  const r = base(p.requirement, p.def);
  const noted = notes.length ? notes.join('; ') : undefined;
  // A 429 the check did not ask for taints everything after it, whatever the check then concluded.
  if (blocked || err instanceof Blocked) {
    const first = err instanceof Blocked ? err : blocked!;
    return { ...r, status: 'blocked', message: first.message, hint: first.hint ?? 'rerun when the rate-limit window has passed; a server limited below the target description declares its limit there (rateLimit: { limit, windowMs })', actual: noted };
  }
  if (err === undefined) return { ...r, status: 'pass', actual: noted, ...(partial.length ? { partial: [...partial] } : {}) };
  if (err instanceof Finding) {
    const replay = err.replay ?? opts.replay?.(p.requirement.id);
    const finding: FindingData = {
      expected: err.expectation,
      actual: err.observation,
      ...(err.route !== undefined ? { route: err.route } : {}),
      ...(err.generated ? { generated: true as const } : {}),
      exchanges: err.exchanges.flatMap((e) => (e.seq !== undefined ? [e.seq] : [])),
      basis: p.requirement.basis,
      source: primarySource(p.requirement.basis).url,
      ...(replay !== undefined ? { replay } : {}),
    };
    return {
      ...r,
      status: p.requirement.level === 'MUST' ? 'fail' : 'warn',
      message: err.message,
      expected: err.expected,
      actual: noted ? `${err.actual} (notes: ${noted})` : err.actual,
      reproduce: err.replay ?? (err.exchange ? reproduceFor(err.exchange, opts.env, opts.replay?.(p.requirement.id)) : opts.replay?.(p.requirement.id)),
      ...(err.exchange ? { exchange: resultExchange(err.exchange, runSecrets(opts.env)) } : {}),
      finding,
    };
  }
  if (err instanceof Skip) return { ...r, status: 'skip', message: err.message, hint: err.hint };
  if (err instanceof TimedOut) return { ...r, status: 'error', message: err.message, actual: noted, errorCode: 'OPC_E_CHECK_TIMEOUT' };
  if (err instanceof Stopped) return { ...r, status: 'error', message: err.message, actual: noted, errorCode: 'OPC_E_ABORTED' };
  const errorCode = err instanceof ToolError ? err.code : 'OPC_E_CHECK_EXCEPTION';
  return { ...r, status: 'error', message: errorMessage(err), actual: noted, errorCode };
}

/** Why the run's signal stopped it, in a phrase ("interrupted: the run budget --max-time 3 s was spent"). */
function stopReason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : 'the run was interrupted';
}

/**
 * Why `def` does not apply to this run, or undefined when it does: it judges another binding, or it would wait
 * out a server-side lifetime on the wall clock and the run did not allow that (--long-waits). Such a check is
 * skipped with the reason and stays outside the verdict (report.binding.notApplicable): it is not run, so it
 * neither passes nor fails.
 */
export function notApplicable(def: CheckDef, env: { binding?: { name: BindingName }; windowClock?: RunEnv['windowClock']; longWaits?: boolean }): { message: string; hint?: RunHint } | undefined {
  const binding = env.binding?.name ?? 'http';
  if (def.bindings && !def.bindings.includes(binding)) {
    return { message: `does not apply to the ${binding.toUpperCase()} binding: it judges the ${def.bindings.map((b) => b.toUpperCase()).join('/')} binding itself (docs/mcp-binding.md)` };
  }
  // A shared virtual clock (in-process) moves the wait at once; only the server's own clock costs real time.
  if (def.waitsMs !== undefined && env.windowClock === undefined && env.longWaits !== true) {
    const flag = flagOf('longWaits') as RunHint;
    return { message: `not run: it waits ${Math.ceil(def.waitsMs / 1000)} s on the server's clock, which a run against a url does only under ${flag}`, hint: flag };
  }
  return undefined;
}

async function runOne(p: PlannedCheck, opts: RunnerOptions, slot?: Slot): Promise<CheckResult> {
  const started = performance.now();
  const { env } = opts;
  const done = (res: Omit<CheckResult, 'durationMs'>, steps = 0): CheckResult => {
    const result: CheckResult = { ...res, durationMs: Math.round(performance.now() - started) };
    // The transcript's own record of the outcome (also of a check that never started): verify holds
    // report.json's result to it.
    env.journal?.checked({ check: result.id, status: result.status, steps, exchanges: result.finding?.exchanges ?? [] });
    return result;
  };
  // Not applicable first: a check outside this run's verdict says so, whatever credentials it would also need.
  const na = notApplicable(p.def, env);
  if (na) return done({ ...base(p.requirement, p.def), status: 'skip', ...na });
  const lacking = p.def.needs.find((n) => lacks(env, n));
  if (lacking) return done({ ...base(p.requirement, p.def), status: 'skip', ...missing(lacking, !lacks(env, 'admin')) });
  if (opts.signal?.aborted) return done({ ...base(p.requirement, p.def), status: 'error', message: `not started: ${stopReason(opts.signal)}`, errorCode: 'OPC_E_ABORTED' });

  const deadlines = opts.deadlines ?? DEFAULT_DEADLINES;
  // A check that waits out a lifetime has that wait on top of its deadline (in-process it costs nothing).
  const deadlineMs = (p.def.safety === 'load' ? deadlines.loadMs : deadlines.normalMs) + (p.def.waitsMs ?? 0);
  const own = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, own.signal]) : own.signal;
  // Each in-flight request listens on the check's signal; concurrency checks legitimately send dozens.
  setMaxListeners(1_000, signal);
  const { ctx, state } = createContext(p.def, env, signal, slot);
  let timer: NodeJS.Timeout | undefined;
  let onStop: (() => void) | undefined;
  // Waits on another check's value (state.waitingOn) in progress: the deadline is not met meanwhile.
  let waiting = 0;
  const deadline = new Promise<never>((_, reject) => {
    const expire = () => {
      if (waiting === 0) reject(new TimedOut(`timed out: no answer for ${deadlineMs / 1000} s`));
    };
    timer = setTimeout(expire, deadlineMs);
    state.onProgress = () => timer!.refresh();
    state.waitingOn = async (other) => {
      waiting++;
      try {
        return await other;
      } finally {
        waiting--;
        // Counts afresh from the end of the wait (refresh also re-arms a timer that fired meanwhile).
        timer!.refresh();
      }
    };
    onStop = () => reject(new Stopped(`stopped while running: ${stopReason(opts.signal!)}`));
    opts.signal?.addEventListener('abort', onStop, { once: true });
  });
  const running = Promise.resolve().then(() => p.def.run(ctx));
  running.catch(() => undefined); // after a timeout the check's own rejection has nobody to report to
  let err: unknown;
  try {
    await Promise.race([running, deadline]);
  } catch (e) {
    err = e;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onStop!);
    // Stops the check's in-flight requests and sleeps once its result is decided.
    own.abort();
  }
  return done(scrub(outcome(p, err, state, opts), runSecrets(env)), state.steps);
}

/**
 * Checks quote responses; persona tokens the CLI never saw must not reach a report through them. The
 * texts are also copied flat: a piece of a response (a reason code JSON.parse cut out of a 4 MiB body)
 * can be a slice that keeps the whole body alive for as long as the result lives.
 */
function scrub<T extends Partial<CheckResult>>(r: T, secrets: readonly string[]): T {
  const flat = (v: string) => Buffer.from(redactSecrets(v, secrets), 'utf8').toString('utf8');
  const out = { ...r };
  for (const k of ['message', 'expected', 'actual', 'hint', 'reproduce'] as const) {
    const v = out[k];
    if (typeof v === 'string') out[k] = flat(v);
  }
  if (out.finding) {
    const f = out.finding;
    const obs = (o: Observation): Observation => ({ ...o, text: flat(o.text), ...(o.code !== undefined ? { code: flat(o.code) } : {}), ...(o.pointer !== undefined ? { pointer: flat(o.pointer) } : {}) });
    out.finding = { ...f, expected: obs(f.expected), actual: obs(f.actual), ...(f.route !== undefined ? { route: flat(f.route) } : {}), ...(f.replay !== undefined ? { replay: flat(f.replay) } : {}) };
  }
  if (out.partial) out.partial = out.partial.map((v) => Buffer.from(redactSecrets(v, secrets), 'utf8').toString('utf8'));
  return out;
}

/**
 * --concurrency counts checks at work: a check that only waits (a sleep of 100 ms or more on the wall clock,
 * a value another check is making: Slot) leaves its place to the next check meanwhile. A check done waiting goes on at once;
 * the next check starts only when fewer than the limit are at work again.
 */
class Slots {
  private atWork = 0;
  /** The pool, waiting for a place to start the next check. */
  private starter: (() => void) | undefined;
  constructor(private readonly limit: number) {}
  async start(): Promise<void> {
    while (this.atWork >= Math.max(1, this.limit)) await new Promise<void>((resolve) => (this.starter = resolve));
    this.atWork++;
  }
  private leave(): void {
    this.atWork--;
    const starter = this.starter;
    this.starter = undefined;
    starter?.();
  }
  /** One check's place: left while it waits, taken back when it goes on, left for good when it ends. */
  hold(): Slot & { end(): void } {
    let held = true;
    let ended = false;
    return {
      wait: async <T>(waiting: Promise<T>): Promise<T> => {
        if (!held || ended) return waiting;
        held = false;
        this.leave();
        try {
          return await waiting;
        } finally {
          // A check stopped meanwhile (its deadline) has already ended and takes no place again.
          if (!ended) {
            held = true;
            this.atWork++;
          }
        }
      },
      end: () => {
        ended = true;
        if (held) {
          held = false;
          this.leave();
        }
      },
    };
  }
}

async function pool<T>(items: T[], limit: number, fn: (item: T, slot: Slot) => Promise<void>): Promise<void> {
  const slots = new Slots(limit);
  const running: Promise<void>[] = [];
  for (const item of items) {
    await slots.start();
    const slot = slots.hold();
    const done = fn(item, slot).finally(() => slot.end());
    // Handled now, reported by Promise.all below: a failure while later checks still start must not be an
    // unhandled rejection (which ends the process before cleanup).
    done.catch(() => undefined);
    running.push(done);
  }
  await Promise.all(running);
}

/** Run the selection; results come back in profile order, events fire in completion order. */
export async function runChecks(sel: Selection, opts: RunnerOptions): Promise<CheckResult[]> {
  const results = new Map<string, CheckResult>();
  const total = sel.planned.length;
  const record = (r: CheckResult) => {
    results.set(r.id, r);
    opts.onResult?.(r, results.size, total);
  };

  // Load checks start first: their bursts and Retry-After waits are the long poles, and they use keys of
  // their own, so the rest of the run overlaps their waiting.
  const normal = sel.planned.filter((p) => p.def.phase !== 'final' && !p.def.exclusive);
  normal.sort((a, b) => Number(b.def.safety === 'load') - Number(a.def.safety === 'load'));
  const exclusive = sel.planned.filter((p) => p.def.phase !== 'final' && p.def.exclusive);
  const final = sel.planned.filter((p) => p.def.phase === 'final');
  await pool(normal, opts.concurrency, async (p, slot) => record(await runOne(p, opts, slot)));
  for (const p of [...exclusive, ...final]) record(await runOne(p, opts));

  return sel.requirements.filter((r) => results.has(r.id)).map((r) => results.get(r.id)!);
}

export function summarize(results: CheckResult[], heldBack: number): Record<Status, number> & { total: number; heldBack: number } {
  const s = { pass: 0, fail: 0, warn: 0, skip: 0, blocked: 0, error: 0, total: results.length, heldBack };
  for (const r of results) s[r.status]++;
  return s;
}

/** The counts of a report's summary that its results contradict, each worded "fail is 1 but the results count 0". */
export function summaryContradictions(report: Pick<RunReport, 'summary' | 'results' | 'heldBack'>): string[] {
  const counted = summarize(report.results ?? [], report.heldBack?.ids.length ?? 0);
  const stated = report.summary as Record<string, number>;
  return Object.entries(counted).filter(([k, v]) => stated[k] !== v).map(([k, v]) => `${k} is ${stated[k]} but the results count ${v}`);
}
