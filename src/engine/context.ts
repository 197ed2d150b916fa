/** The CheckContext a check runs with: clients bound to the run's transport, personas, seeded randomness. */
import { createHash } from 'node:crypto';
import { Blocked, Skip, ToolError, type AdminClient, type AgentClient, type CheckContext, type CheckDef, type Exchange, type Need } from './check.js';
import { createAdminClient, createAgentClient, type Send } from './clients.js';
import { PersonaRegistry, provisionPersona } from './personas.js';
import type { ResolvedTarget } from './target.js';
import type { Transport } from './transport.js';
import { localAddressTo } from './local-address.js';
import type { McpBinding } from './mcp-client.js';

export interface FuzzBudget { runs: number; timeMs: number; path?: string }

/** What every check of one run shares. */
export interface RunEnv {
  transport: Transport;
  target: ResolvedTarget;
  token?: string;
  adminHeaders?: Record<string, string>;
  seed: number;
  registry: PersonaRegistry;
  fuzz: FuzzBudget;
  /** Appended to persona names (e.g. "_s2of3") so parallel shards against one server do not collide. */
  personaTag?: string;
  /** Called with every exchange a check sends (explain --target records a check's requests with it). */
  onExchange?: (checkId: string, ex: Exchange) => void;
  /** --wait-retry-after: rate-limit checks wait out a long Retry-After in full instead of proving it counts down. */
  waitRetryAfter?: boolean;
  /** The command that replays one check of this run (with a fuzz path: that one counterexample). */
  replay?: (id: string, fuzzPath?: string) => string;
  /** --binding mcp: the agent plane over MCP (the admin plane stays on `transport`). Absent: HTTP. */
  binding?: McpBinding;
}

/** What the runner reads back after the check: its notes, and the first 429 it did not ask for. */
export interface CheckState {
  notes: string[];
  blocked?: Blocked;
}

/** Why a check cannot run without the token or the admin plane, and the flag that enables it. */
export const MISSING: Record<Need, { message: string; hint: string }> = {
  token: { message: 'needs an agent token', hint: "--token, or --admin-header with --safety draft (or above) to let the tool provision one" },
  admin: { message: 'needs the admin plane', hint: "--admin-header 'Name: value'" },
};

export function lacks(env: RunEnv, need: Need): boolean {
  return need === 'token' ? !env.token : !env.adminHeaders || Object.keys(env.adminHeaders).length === 0;
}

/** mulberry32: small, fast, and good enough for test-input choices; seeded so every run replays. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A per-check seed: the same run seed gives every check its own, stable stream. */
export function checkSeed(seed: number, checkId: string): number {
  return createHash('sha256').update(`${seed >>> 0}:${checkId}`).digest().readUInt32LE(0);
}

/** Every secret the run holds: its token, admin header values (and bearer parts), persona tokens. */
export function runSecrets(env: RunEnv): string[] {
  const out = new Set<string>();
  if (env.token) out.add(env.token);
  for (const v of Object.values(env.adminHeaders ?? {})) {
    out.add(v);
    const m = /^Bearer\s+(.+)$/i.exec(v);
    if (m) out.add(m[1]);
  }
  for (const t of env.registry.secrets()) out.add(t);
  return [...out].filter((s) => s.length > 0);
}

export function createContext(def: CheckDef, env: RunEnv, signal: AbortSignal): { ctx: CheckContext; state: CheckState } {
  const state: CheckState = { notes: [] };
  const observe = (ex: Exchange): Exchange => {
    env.onExchange?.(def.id, ex);
    if (ex.response.status === 429 && !def.expects429) {
      const blocked = new Blocked(`rate limited: ${ex.request.method} ${ex.request.path} answered HTTP 429, which this check did not provoke`, ex);
      state.blocked ??= blocked;
      throw blocked;
    }
    return ex;
  };
  const send: Send = async (req) => {
    if (signal.aborted) throw new ToolError(`${def.id}: aborted before ${req.method} ${req.path}`, 3);
    return observe(await env.transport.send(req, signal));
  };
  const clientFor = (token?: string): AgentClient =>
    env.binding ? env.binding.client(token, env.target.reads, observe, signal) : createAgentClient(send, token, env.target.reads);
  let agent: AgentClient | undefined;
  let admin: AdminClient | undefined;
  const adminClient = (): AdminClient => {
    if (lacks(env, 'admin')) throw new Skip(MISSING.admin.message, MISSING.admin.hint);
    return (admin ??= createAdminClient(send, env.adminHeaders!, env.registry.hooks));
  };
  const random = mulberry32(checkSeed(env.seed, def.id));

  const ctx: CheckContext = {
    checkId: def.id,
    seed: env.seed,
    random,
    target: env.target,
    binding: env.binding?.name ?? 'http',
    get agent() {
      if (lacks(env, 'token')) throw new Skip(MISSING.token.message, MISSING.token.hint);
      return (agent ??= clientFor(env.token));
    },
    get admin() {
      return adminClient();
    },
    client: clientFor,
    persona: (spec) => provisionPersona(adminClient(), env.target, spec, clientFor, env.personaTag),
    observed: () => env.transport.observed(),
    clientAddress: async () => (env.transport.embedded ? { ip: '127.0.0.1', loopback: true } : localAddressTo(env.transport.baseUrl, 2_000)),
    secrets: () => runSecrets(env),
    note: (text) => void state.notes.push(text),
    sleep: (ms) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(new ToolError(`${def.id}: aborted`, 3));
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, Math.max(0, ms));
        const onAbort = () => {
          clearTimeout(timer);
          reject(new ToolError(`${def.id}: aborted`, 3));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    now: () => Date.now(),
    signal,
    fuzz: env.fuzz,
    waitRetryAfter: env.waitRetryAfter === true,
    replay: (fuzzPath) => env.replay?.(def.id, fuzzPath) ?? `openport-conform ${fuzzPath === undefined ? 'run' : 'fuzz'} --only ${def.id} --seed ${env.seed >>> 0}${fuzzPath === undefined ? '' : ` --path ${fuzzPath}`}`,
  };
  return { ctx, state };
}
