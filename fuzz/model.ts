/**
 * FUZZ-005: stateful fuzzing of the write lifecycle with fast-check commands against a deliberately small
 * model of what the protocol GUARANTEES — not of what a server does in detail:
 *   - nothing executes without an approval or an allowed auto-execute request;
 *   - an idempotency key has at most one execution (sequential replays and concurrent bursts alike);
 *   - a revoked key never succeeds again;
 *   - a witnessed draft never executes once its resource's State Witness changed;
 *   - every agent operation leaves one audit event (per key: at least one per successful write request —
 *     what AUDIT-001 and WRITE-006 require — and no more than one per request plus one per execution or
 *     review of that key's drafts; whether reads and refused requests are audited is AUDIT-001/003's call).
 * Everything else (draft vs. refusal, which code a refusal carries) is left to the server.
 */
import fc from 'fast-check';
import { Finding, Skip, type AgentClient, type CheckContext, type Exchange, type Persona } from '../src/kit/check.js';
import { describe, fail, isRefusal } from '../src/kit/expect.js';
import { checkProperty, commandsReplayPath, replayStateOf } from '../src/kit/fuzz-driver/driver.js';
import { dataOf } from '../src/kit/clients.js';
import { auditUntil, fillPlaceholder, listDrafts, markedCreateOrSkip, samplePayloadOf, withResource } from '../src/kit/helpers.js';
import { createResource } from './resources.js';
import type { AuditEvent } from '../src/protocol/types.js';

interface KeyState { keyId: string; token: string; client: AgentClient; revoked: boolean; uses: number }
interface DraftState { id: string; key: number; kind: 'create' | 'update'; witness?: string; idem?: string; final: boolean }

interface Model {
  keys: KeyState[];
  drafts: DraftState[];
  /** Idempotency key → the one execution id it may ever have. */
  idem: Map<string, string>;
  /** Last body sent per idempotency key, for replays. */
  bodies: Map<string, Record<string, unknown>>;
  /** The resource's current State Witness hash (undefined when the target does not witness the update tool). */
  witness?: string;
  /** A witness hash observed earlier, for stale-witness requests. */
  staleWitness?: string;
  /** Drafts that were approved or auto-executed: the only ones that may have executions. */
  mayExecute: Set<string>;
  /**
   * Per key id: successful write requests (each must be audited), other requests (may be audited: reads,
   * refusals), requests refused as unauthenticated, reviews/executions of its drafts.
   */
  audit: Map<string, Tally>;
  harnessUses: number;
}

interface Real { ctx: CheckContext; persona: Persona; resourceId: string; seq: { n: number } }

type Cmd = fc.AsyncCommand<Model, Real>;

const MAX_KEYS = 4;

interface Tally { ops: number; optional: number; unauth: number; derived: number }

function tally(m: Model, keyId: string, field: keyof Tally, n = 1): void {
  const a = m.audit.get(keyId) ?? { ops: 0, optional: 0, unauth: 0, derived: 0 };
  a[field] += n;
  m.audit.set(keyId, a);
}

function limit(r: Real): number {
  return Math.max(3, r.ctx.target.rateLimit.limit - 3);
}

/** An executed answer names its draft in data.draft and in the execution; either marks it as allowed to run. */
function allowExecuted(m: Model, data: any): void {
  for (const id of [data?.draft?.id, data?.execution?.draft_id]) if (typeof id === 'string') m.mayExecute.add(id);
}

/** Count the request for the audit model and enforce "a revoked key never succeeds". Reads need not be audited. */
function afterAgentOp(m: Model, k: KeyState, ex: Exchange, what: string, read = false): void {
  k.uses++;
  if (k.revoked) {
    if (!isRefusal(ex) || ex.response.status !== 401) fail(`${what} with a revoked key was not refused`, { status: 401, code: 'agent.token_invalid', text: 'HTTP 401 agent.token_invalid' }, describe(ex), ex);
    tally(m, k.keyId, 'unauth');
    return;
  }
  if (ex.response.status === 401) tally(m, k.keyId, 'unauth');
  else tally(m, k.keyId, !read && ex.response.status >= 200 && ex.response.status < 300 ? 'ops' : 'optional');
}

/** Judge a response to POST /actions against the model; returns the draft it created, if any. */
function judgeWrite(m: Model, k: KeyState, keyIdx: number, body: Record<string, unknown>, kind: DraftState['kind'], autoAllowed: boolean, witness: string | undefined, ex: Exchange): void {
  afterAgentOp(m, k, ex, 'POST /actions');
  if (k.revoked) return;
  const data = dataOf(ex);
  if (!data) return;
  const idem = typeof body.idempotencyKey === 'string' ? body.idempotencyKey : undefined;
  const exeId: string | undefined = data.execution?.id;
  if (data.status === 'executed') {
    const known = idem ? m.idem.get(idem) : undefined;
    if (data.replayed === true) {
      if (!known) fail('a replay was answered for an idempotency key that never executed', 'a draft or a fresh execution', describe(ex), ex);
      if (exeId && exeId !== known) fail('a replay returned a different execution than the key\'s first one', `execution ${known}`, `execution ${exeId}`, ex);
      return;
    }
    if (known) fail('a second execution for one idempotency key', `at most one execution for "${idem}" (first: ${known})`, `new execution ${exeId ?? '(no id)'}`, ex);
    if (!autoAllowed) fail('executed without approval or an allowed auto-execute', 'a draft (auto-execute is not allowed for this request)', describe(ex), ex);
    if (idem && exeId) m.idem.set(idem, exeId);
    allowExecuted(m, data);
    tally(m, k.keyId, 'derived');
    return;
  }
  if (typeof data.draft?.id === 'string') m.drafts.push({ id: data.draft.id, key: keyIdx, kind, witness, idem, final: false });
}

async function preflightWitness(r: Real): Promise<string | undefined> {
  const w = r.ctx.target.writes.drift;
  const ex = await r.persona.client.preflight(w.action, samplePayloadOf(r.ctx.target, w.payload, r.resourceId));
  const h = dataOf(ex)?.stateWitnessHash;
  return typeof h === 'string' ? h : undefined;
}

/** Refresh the model's witness after the resource may have changed; keep the old one as "stale". */
async function refreshWitness(m: Model, r: Real): Promise<void> {
  m.harnessUses++;
  const h = await preflightWitness(r);
  if (h !== undefined && h !== m.witness) m.staleWitness = m.witness;
  m.witness = h;
}

function payloadFor(r: Real, kind: 'create' | 'update'): Record<string, unknown> {
  const t = r.ctx.target;
  const marker = `FUZZ-005 ${r.ctx.checkId} ${r.seq.n++} ${Math.floor(r.ctx.random() * 1e9)}`;
  if (kind === 'create') return markedCreateOrSkip(t, marker);
  return withResource(t.writes.drift.payload, r.resourceId) as Record<string, unknown> & { notes?: unknown };
}

/** Fill "$random" in the drift template (at any depth) so each change is a real change. */
function fresh(p: Record<string, unknown>, marker: string): Record<string, unknown> {
  return fillPlaceholder(p, '$random', marker);
}

const write = (kind: 'create' | 'update', keyPick: number, execute: boolean, forceDraft: boolean, idemSlot: number, staleWitness: boolean): Cmd => ({
  check: () => true,
  async run(m, r) {
    const keyIdx = keyPick % m.keys.length;
    const k = m.keys[keyIdx]!;
    if (k.uses >= limit(r)) return;
    const idem = idemSlot > 0 ? `fuzz5-${r.persona.appId}-${idemSlot}` : undefined;
    const payload = fresh(payloadFor(r, kind), `FUZZ-005 drift ${r.seq.n++}`);
    const witness = kind === 'update' ? (staleWitness && m.staleWitness ? m.staleWitness : m.witness) : undefined;
    const body: Record<string, unknown> = { action: kind === 'create' ? r.ctx.target.writes.create.action : r.ctx.target.writes.drift.action, payload, execute, forceDraft };
    if (idem) body.idempotencyKey = idem;
    if (kind === 'update' && staleWitness && m.staleWitness) body.stateWitnessHash = m.staleWitness;
    const ex = await k.client.actions(body);
    const autoAllowed = kind === 'create' && execute && !forceDraft;
    judgeWrite(m, k, keyIdx, body, kind, autoAllowed, witness, ex);
    if (idem && execute && !m.bodies.has(idem)) m.bodies.set(idem, body);
  },
  toString: () => `write(${kind}, key#${keyPick}, execute=${execute}, forceDraft=${forceDraft}, idem=${idemSlot || '-'}${staleWitness ? ', stale witness' : ''})`,
});

const replay = (idemSlot: number, keyPick: number): Cmd => ({
  check: () => true,
  async run(m, r) {
    const idem = `fuzz5-${r.persona.appId}-${idemSlot}`;
    const body = m.bodies.get(idem);
    const keyIdx = keyPick % m.keys.length;
    const k = m.keys[keyIdx]!;
    if (!body || k.uses >= limit(r)) return;
    const ex = await k.client.actions(body);
    judgeWrite(m, k, keyIdx, body, 'create', body.action === r.ctx.target.writes.create.action && body.forceDraft !== true, undefined, ex);
  },
  toString: () => `replay(idem=${idemSlot}, key#${keyPick})`,
});

const burst = (n: number): Cmd => ({
  check: () => true,
  async run(m, r) {
    const k = m.keys[0]!;
    if (k.revoked || k.uses + n >= limit(r)) return;
    const idem = `fuzz5-${r.persona.appId}-burst-${r.seq.n++}`;
    const body = { action: r.ctx.target.writes.create.action, payload: payloadFor(r, 'create'), execute: true, idempotencyKey: idem };
    const exs = await Promise.all(Array.from({ length: n }, () => k.client.actions(body)));
    const ids = new Set<string>();
    for (const ex of exs) {
      afterAgentOp(m, k, ex, 'POST /actions');
      const d = dataOf(ex);
      if (d?.status === 'executed' && typeof d.execution?.id === 'string') ids.add(d.execution.id);
      if (d?.status === 'executed' && d.replayed !== true) tally(m, k.keyId, 'derived');
      allowExecuted(m, d);
    }
    if (ids.size > 1) fail(`${n} concurrent identical requests produced ${ids.size} executions`, 'exactly one execution per idempotency key', [...ids].join(', '), exs.find((e) => dataOf(e)?.replayed !== true));
    const [only] = ids;
    if (only) m.idem.set(idem, only);
  },
  toString: () => `burst(${n} concurrent executes, one idempotency key)`,
});

const review = (op: 'approve' | 'reject', pick: number): Cmd => ({
  check: (m) => m.drafts.length > 0,
  async run(m, r) {
    // Pending drafts first: that is where the guarantees bite; final ones still get re-reviewed now and then.
    const pending = m.drafts.filter((x) => !x.final);
    const pool = pending.length && pick % 4 !== 3 ? pending : m.drafts;
    const d = pool[pick % pool.length]!;
    const ex = op === 'approve' ? await r.ctx.admin.approve(d.id, `FUZZ-005 ${op}`) : await r.ctx.admin.reject(d.id, `FUZZ-005 ${op}`);
    const data = dataOf(ex);
    const executed = !!data?.execution && (data.execution.status === 'success' || typeof data.execution.id === 'string');
    const keyId = m.keys[d.key]!.keyId;
    tally(m, keyId, 'derived', 2);
    if (d.final) {
      if (!isRefusal(ex) || executed) fail(`${op} of a draft that is already final was not refused`, { status: 400, code: 'agent.draft_already_final', text: 'HTTP 400 agent.draft_already_final and no execution' }, describe(ex), ex);
      return;
    }
    if (op === 'reject') {
      if (executed) fail('rejecting a draft executed it', 'the draft canceled, no execution', describe(ex), ex);
      if (!isRefusal(ex)) d.final = true;
      return;
    }
    if (executed && d.kind === 'update' && d.witness !== undefined && d.witness !== m.witness) {
      fail('a witnessed draft executed after its resource changed', { status: 409, code: 'agent.precondition_failed', text: `HTTP 409 agent.precondition_failed (draft witness ${d.witness.slice(0, 12)}…, current ${m.witness?.slice(0, 12)}…)` }, describe(ex), ex);
    }
    if (!isRefusal(ex)) {
      d.final = true;
      m.mayExecute.add(d.id);
    }
    // An approved draft that carried an idempotency key gives the key its execution (later replays return it).
    const exeId = data?.execution?.id;
    if (executed && d.idem && typeof exeId === 'string' && !m.idem.has(d.idem)) m.idem.set(d.idem, exeId);
    if (executed && d.kind === 'update') await refreshWitness(m, r);
  },
  toString: () => `${op}(draft#${pick})`,
});

/** Revoke one of the extra keys: it is used just before (so any lookup cache is warm) and just after. */
const revokeKey = (pick: number): Cmd => ({
  check: (m) => m.keys.length > 1,
  async run(m, r) {
    // Key 0 stays live so the run keeps producing traffic worth judging.
    const k = m.keys[1 + (pick % (m.keys.length - 1))]!;
    if (k.uses + 2 >= limit(r)) return;
    afterAgentOp(m, k, await k.client.manifest(), 'GET manifest', true);
    await r.ctx.admin.revokeKey(k.keyId);
    k.revoked = true;
    // Admin events about a key (creation, revocation) may carry its key_id.
    tally(m, k.keyId, 'derived');
    afterAgentOp(m, k, await k.client.manifest(), 'GET manifest right after revocation', true);
  },
  toString: () => `revokeKey(#${pick})`,
});

const createKey: Cmd = {
  check: (m) => m.keys.length < MAX_KEYS,
  async run(m, r) {
    const ex = await r.ctx.admin.createKey(r.persona.appId, { name: `FUZZ-005 key ${m.keys.length}` });
    const d = dataOf(ex);
    const token = d?.token, keyId = d?.key?.id;
    if (typeof token !== 'string' || typeof keyId !== 'string') throw new Skip('POST /apps/{id}/keys returned no key id and token');
    m.keys.push({ keyId, token, client: r.ctx.client(token), revoked: false, uses: 0 });
    tally(m, keyId, 'derived');
  },
  toString: () => 'createKey',
};

/** Change the resource behind the witnessed drafts (a reviewed update), then re-read its witness. */
const drift: Cmd = {
  check: (m) => m.witness !== undefined,
  async run(m, r) {
    if (m.harnessUses + 3 >= limit(r)) return;
    const w = r.ctx.target.writes.drift;
    m.harnessUses++;
    const ex = await r.persona.client.actions({ action: w.action, payload: fresh(withResource(w.payload, r.resourceId) as Record<string, unknown>, `FUZZ-005 drift ${r.seq.n++}`) });
    const id = dataOf(ex)?.draft?.id;
    if (typeof id !== 'string') throw new Skip(`drift: POST /actions ${w.action} did not create a draft: ${describe(ex)}`);
    m.mayExecute.add(id);
    // A clock tick between writes, so a millisecond-resolution version really changes.
    await r.ctx.sleep(2);
    await r.ctx.admin.approve(id, 'FUZZ-005 drift');
    await refreshWitness(m, r);
  },
  toString: () => 'drift',
};

const writes = fc.tuple(fc.constantFrom<'create' | 'update'>('create', 'update'), fc.nat(MAX_KEYS - 1), fc.boolean(), fc.boolean(), fc.nat(3), fc.boolean())
    .map(([kind, key, execute, force, idem, stale]) => write(kind, key, execute, force, idem, stale));
const reviews = fc.tuple(fc.constantFrom<'approve' | 'reject'>('approve', 'approve', 'reject'), fc.nat(20)).map(([op, p]) => review(op, p));

/** fc.commands picks uniformly among these; writes and reviews are listed twice to weigh them up. */
const commandArbs: fc.Arbitrary<Cmd>[] = [
  writes,
  writes,
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.nat(MAX_KEYS - 1)).map(([i, k]) => replay(i, k)),
  fc.integer({ min: 2, max: 5 }).map(burst),
  reviews,
  reviews,
  fc.nat(MAX_KEYS).map(revokeKey),
  fc.constant(createKey),
  fc.constant(createKey),
  fc.constant(drift),
];

/** The audit bound, checked once per run (listing the audit log is the expensive part). */
async function checkAudit(m: Model, r: Real): Promise<void> {
  // Re-read while some key's writes are not all accounted for: an asynchronous sink may show them late.
  const accounted = (events: AuditEvent[]) => [...m.audit].every(([keyId, a]) => events.filter((e) => e.key_id === keyId).length >= a.ops);
  const events = await auditUntil(r.ctx, r.persona.appId, accounted);
  for (const [keyId, a] of m.audit) {
    const n = events.filter((e) => e.key_id === keyId).length;
    const most = a.ops + a.optional + a.unauth + a.derived;
    // The brief asks for events on every path (§10), not for one per operation: fewer than the writes is the
    // finding; more than the model expects is only noted (a server may log draft, request and execution).
    if (n < a.ops) {
      throw new Finding(
        'audit events do not account for every successful write',
        `at least ${a.ops} audit events for key ${keyId} (${a.ops} successful writes)`,
        `${n} events`,
      );
    }
    if (n > most) r.ctx.note(`key ${keyId}: ${n} audit events for at most ${most} operations (${a.ops} writes, ${a.optional} reads or refusals, ${a.unauth} unauthenticated, ${a.derived} reviews/executions)`);
  }
}

/** Nothing of the app's may have executed unless the model approved it or allowed its auto-execution. */
async function checkExecutions(m: Model, r: Real): Promise<void> {
  // What the protocol guarantees is the execution, not the status: a fail-closed approval may leave a draft
  // `failed`, `draft` or even `confirmed` (WITNESS-006, a SHOULD) as long as nothing ran.
  const rogue: string[] = [];
  for (const d of await listDrafts(r.ctx, r.persona.appId)) {
    if (m.mayExecute.has(d.id) || d.status === 'draft' || d.status === 'canceled') continue;
    if ('execution' in d ? d.execution : dataOf(await r.ctx.admin.draft(d.id))?.execution) rogue.push(`${d.id}: ${d.status}, executed`);
  }
  if (rogue.length) fail('drafts executed without an approval or an allowed auto-execute', 'executions only for approved or auto-executed drafts', rogue.join(', '));
}

export async function fuzzLifecycleModel(ctx: CheckContext): Promise<void> {
  const t = ctx.target;
  const runs = Math.max(1, Math.min(ctx.fuzz.runs, Math.ceil(ctx.fuzz.runs / 10)));
  const { runs: done } = await checkProperty(
    ctx,
    fc.commands(commandArbs, { maxCommands: 12, ...(replayStateOf(ctx.fuzz.path) ? { replayPath: replayStateOf(ctx.fuzz.path) } : {}) }),
    async (cmds) => {
      const persona = await ctx.persona({
        name: 'fuzz-lifecycle',
        autoExecute: { writes: { enabled: true, expires_at: new Date(ctx.now() + 3_600_000).toISOString(), allowed_actions: [t.writes.create.action] } },
      });
      const { resourceId, draftId } = await createResource(ctx, persona.client, `FUZZ-005 resource ${Math.floor(ctx.random() * 1e9)}`);
      const keyEx = await ctx.admin.createKey(persona.appId, { name: 'FUZZ-005 key 0' });
      const kd = dataOf(keyEx);
      if (typeof kd?.token !== 'string' || typeof kd?.key?.id !== 'string') throw new Skip('POST /apps/{id}/keys returned no key id and token');
      const real: Real = { ctx, persona, resourceId, seq: { n: 0 } };
      const model: Model = {
        keys: [{ keyId: kd.key.id, token: kd.token, client: ctx.client(kd.token), revoked: false, uses: 0 }],
        drafts: [], idem: new Map(), bodies: new Map(), mayExecute: new Set([draftId]), audit: new Map(), harnessUses: 2,
      };
      tally(model, kd.key.id, 'derived');
      model.witness = await preflightWitness(real);
      await fc.asyncModelRun(() => ({ model, real }), cmds);
      await checkExecutions(model, real);
      await checkAudit(model, real);
    },
    { runs, maxShrinks: 40, show: (cmds) => cmds.toString(), replayState: (cmds) => commandsReplayPath(cmds) },
  );
  ctx.note(`${done} generated command sequences (≤ 12 commands each) against the lifecycle model`);
}
