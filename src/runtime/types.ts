import type { StoreLimits } from './store.js';

/** The contract between the reference runtime and everything that drives it (node:http adapter, in-process transport, tests). */
import type { ToolDescriptor } from '../protocol/types.js';
import type { DomainName } from './domains.js';
import type { Hooks } from './hooks.js';
import type { Selection } from './name-set.js';

export interface RuntimeRequest {
  method: string;
  /** Path including the query string, e.g. "/api/agent/v1/transactions?ledgerId=ledger_main". */
  path: string;
  /** Header names lower-cased. A repeated header arrives as a string[] (node:http semantics). */
  headers: Record<string, string | string[] | undefined>;
  /** Raw body bytes or text; absent for GET. */
  body?: string | Uint8Array;
  /** The client address as the server sees it (node:http: socket.remoteAddress). */
  clientIp: string;
}

export interface RuntimeResponse {
  status: number;
  /** Header names lower-cased. Always includes content-type: application/json; charset=utf-8. */
  headers: Record<string, string>;
  /** Serialized JSON body. */
  body: string;
  /**
   * The body's UTF-8 bytes, when the runtime holds them already (a constant answer): the node adapter sends them
   * instead of encoding `body` again. Never an own enumerable member, so a wrapper that copies the response with a
   * new `body` (`{...res, body}`) drops them and its own body is sent.
   */
  bytes?: Buffer;
}

export interface RuntimeOptions {
  /** The domain served (src/runtime/domains.ts). Default 'demo'. Unknown names throw. */
  domain?: DomainName;
  /** Fixed-window admission control per (key, client IP). Default 240 per 60 000 ms. */
  rateLimit?: { limit: number; windowMs: number };
  /** Refused authentications admitted per client IP and window before they are answered 429, unaudited. Default 6 000 per 60 000 ms. */
  authFailureLimit?: { limit: number; windowMs: number };
  /**
   * Faults to inject (src/runtime/faults): `selectFaults(names)` of the registry, or `loadSelections` of
   * src/runtime/name-set.ts, which loads the registry only when a fault is asked for.
   */
  faults?: Selection;
  /** Legitimate variants (src/runtime/variants, `selectVariants(names)`): allowed choices made differently. */
  variants?: Selection;
  /** Bound of the in-memory audit log (oldest dropped first). Default 10 000. */
  auditLimit?: number;
  /** Append every audit event as a JSON line to this file (created 0600; rotated at auditFileMaxBytes). */
  auditFile?: string;
  /** Size at which the audit file is renamed to `<file>.1` (replacing it) and a new one started. Default 64 MiB. */
  auditFileMaxBytes?: number;
  /** Caps of stored state and the retention within which nothing pending is evicted (docs/runtime-limits.md). */
  limits?: Partial<StoreLimits>;
  /** Maximum request body size in bytes. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** Clock, for tests. Default Date.now. */
  now?: () => number;
  /**
   * The clock of the windows a client waits out (default `now`): the rate limiter's windows and a preflight's
   * lifetime. The embedded run and tests give it the virtual clock their run bursts and waits on
   * (src/runner/clock.ts), so load cannot move a window under a burst and ten minutes pass without waiting.
   */
  windowNow?: () => number;
  /** Admin bearer token; generated when absent. */
  adminToken?: string;
  /** Deterministic ids/tokens for tests (a seed for the id generator); default crypto-random. */
  seed?: number;
}

export interface Runtime {
  handle(req: RuntimeRequest): Promise<RuntimeResponse>;
  /**
   * The same answer as `handle`, returned as it is when the runtime has it at once (every read, a preflight):
   * the node adapter then answers without a promise or a turn of the microtask queue. Throws (or rejects)
   * where `handle` rejects. Not enumerable, so a wrapper that copies the runtime with its own `handle`
   * (`{...runtime, handle}`) drops it and is answered through its `handle`.
   */
  respond?(req: RuntimeRequest): RuntimeResponse | Promise<RuntimeResponse>;
  /** Headers that authenticate the admin plane, e.g. { authorization: "Bearer adm_…" }. */
  readonly adminHeaders: Record<string, string>;
  /** The app and key created at start (every scope of the domain, in the domain's tenant). */
  readonly bootstrap: { appId: string; keyId: string; agentToken: string; orgId: string };
  /**
   * Authentication of an agent request's credentials alone (brief section 6, steps 1–6), without rate limit or
   * success audit: undefined when admitted, else the refusal. The MCP binding admits sessions with it.
   */
  authenticate?(req: Pick<RuntimeRequest, 'headers' | 'clientIp'>): Promise<RuntimeResponse | undefined>;
  /**
   * The MCP front's admission of one message (docs/mcp-binding.md T2, E3): authentication as `authenticate`,
   * then, when `count`, one request against the key's rate limit. The admitted key and its tenant, or the refusal.
   */
  admitMessage?(req: Pick<RuntimeRequest, 'headers' | 'clientIp'>, count: boolean): Promise<{ refused: RuntimeResponse } | { keyId: string; orgId: string }>;
  /** The runtime's decision points; the MCP front reads its own (the `mcp*` hooks) from them. */
  readonly hooks?: Hooks;
  /** Write payload schemas the manifest does not carry (Domain.payloadSchemas); the MCP front shows them in inputSchema. */
  readonly payloadSchemas?: Readonly<Record<string, Record<string, unknown>>>;
  /** Every tool of the domain (visible or not); the MCP binding routes tools/call by it (optional, like authenticate: wrappers in tests omit both). */
  readonly tools?: readonly ToolDescriptor[];
  readonly domain: DomainName;
  readonly faults: readonly string[];
  /** The files its release ships beside its code, path → text: the release gate's tree scan judges them. */
  readonly releaseFiles?: Readonly<Record<string, string>>;
  close(): Promise<void>;
}
