/**
 * The review of the write-lifecycle, state-witness and fuzz checks, proven both ways: each defect class a
 * check was hardened against is injected by a thin wrapper around the reference runtime's handler (the
 * runtime itself stays untouched) and the check must fail on it and pass on the clean runtime; each
 * legitimate choice it was taught to accept is injected the same way and the check must not fail on it.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Blocked, Finding, Skip, type CheckContext, type CheckDef, type Exchange } from '../../src/kit/check.js';
import { createContext, type RunEnv } from '../../src/runner/context.js';
import { PersonaRegistry } from '../../src/runner/personas.js';
import { shippedTarget } from '../../src/runner/target-file.js';
const DEMO_TARGET = shippedTarget('demo');
import { InProcessTransport } from '../../src/runner/transport.js';
import { noLeak, wellFormed } from '../../fuzz/properties.js';
import { witnessHash } from '../../src/protocol/hash.js';
import { ADMIN_BASE, AGENT_BASE } from '../../src/protocol/types.js';
import { createRuntime } from '../../src/runtime/index.js';
import type { Runtime, RuntimeRequest, RuntimeResponse } from '../../src/runtime/types.js';
import { write001 } from '../../suites/write/write-001.js';
import { write004 } from '../../suites/write/write-004.js';
import { write005 } from '../../suites/write/write-005.js';
import { write006 } from '../../suites/write/write-006.js';
import { autoexec001 } from '../../suites/autoexec/autoexec-001.js';
import { autoexec004 } from '../../suites/autoexec/autoexec-004.js';
import { autoexec007 } from '../../suites/autoexec/autoexec-007.js';
import { preflight001 } from '../../suites/preflight/preflight-001.js';
import { preflight003 } from '../../suites/preflight/preflight-003.js';
import { preflight004 } from '../../suites/preflight/preflight-004.js';
import { preflight005 } from '../../suites/preflight/preflight-005.js';
import { preflight006 } from '../../suites/preflight/preflight-006.js';
import { preflight008 } from '../../suites/preflight/preflight-008.js';
import { autoexec010 } from '../../suites/autoexec/autoexec-010.js';
import { preflight007 } from '../../suites/preflight/preflight-007.js';
import { idem002 } from '../../suites/idem/idem-002.js';
import { witness001 } from '../../suites/witness/witness-001.js';
import { witness002 } from '../../suites/witness/witness-002.js';
import { witness003 } from '../../suites/witness/witness-003.js';
import { fuzz005 } from '../../suites/fuzz/fuzz-005.js';
import { fuzz006 } from '../../suites/fuzz/fuzz-006.js';
import { fuzz008 } from '../../suites/fuzz/fuzz-008.js';
import { replayCorpus } from '../../fuzz/corpus-replay.js';

/** A server built on the reference runtime: `rt` is the clean runtime (its handler and admin headers). */
type Wrap = (req: RuntimeRequest, rt: Runtime) => Promise<RuntimeResponse>;

const json = (res: RuntimeResponse): any => JSON.parse(res.body);
const bodyOf = (req: RuntimeRequest): any => (req.body === undefined ? undefined : JSON.parse(String(req.body)));
const withBody = (req: RuntimeRequest, body: unknown): RuntimeRequest => ({ ...req, body: JSON.stringify(body) });
const reply = (status: number, body: unknown): RuntimeResponse => ({ status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });
const refusal = (status: number, code: string) => reply(status, { ok: false, code, message: 'refused' });
const isActions = (req: RuntimeRequest) => req.method === 'POST' && req.path === `${AGENT_BASE}/actions`;

/** The wrapper is the server: it may use its own admin plane. */
function admin(rt: Runtime, method: string, path: string, body?: unknown): Promise<RuntimeResponse> {
  return rt.handle({ method, path: `${ADMIN_BASE}${path}`, headers: { ...rt.adminHeaders, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), clientIp: '127.0.0.1' });
}

interface Outcome { error: unknown; notes: string[]; partial: string[] }

/** Run one check against the reference runtime behind `wrap`, in process, as the engine would. */
interface Over { token?: (rt: Runtime) => Promise<string>; admin?: boolean; fuzzRuns?: number; target?: (t: typeof DEMO_TARGET) => typeof DEMO_TARGET }

async function runCheck(def: CheckDef, wrap?: Wrap, over: Over = {}): Promise<Outcome> {
  const rt = createRuntime({ seed: 11 });
  const served: Runtime = { adminHeaders: rt.adminHeaders, bootstrap: rt.bootstrap, domain: rt.domain, faults: rt.faults, close: () => rt.close(), handle: wrap ? (req) => wrap(req, rt) : (req) => rt.handle(req) };
  const env: RunEnv = {
    transport: new InProcessTransport(served),
    target: (over.target ?? ((t) => t))(structuredClone(DEMO_TARGET)),
    token: over.token ? await over.token(rt) : rt.bootstrap.agentToken,
    adminHeaders: over.admin === false ? undefined : rt.adminHeaders,
    seed: 20261126,
    registry: new PersonaRegistry(),
    fuzz: { runs: over.fuzzRuns ?? 30, timeMs: 10_000 },
  };
  const { ctx, state } = createContext(def, env, new AbortController().signal);
  try {
    const error = await def.run(ctx).then(() => undefined, (e: unknown) => e);
    return { error, notes: state.notes, partial: state.partial };
  } finally {
    await served.close();
  }
}

function passes(o: Outcome): void {
  expect(o.error === undefined ? 'pass' : `${(o.error as Error).name}: ${(o.error as Error).message}`).toBe('pass');
}

function fails(o: Outcome, pattern?: RegExp): Finding {
  expect(o.error === undefined ? 'pass' : (o.error as Error).name).toBe('Finding');
  if (pattern) expect((o.error as Finding).message).toMatch(pattern);
  return o.error as Finding;
}

/** Rewrite the items of admin GET /audit listings. */
function auditItems(edit: (items: any[]) => any[]): Wrap {
  return async (req, rt) => {
    const res = await rt.handle(req);
    if (req.method !== 'GET' || !req.path.startsWith(`${ADMIN_BASE}/audit`) || res.status !== 200) return res;
    const j = json(res);
    return reply(200, { ...j, data: { ...j.data, items: edit(j.data.items) } });
  };
}

const CLIENT_IP = '127.0.0.1';

/** The app id behind an Authorization header, as the server itself knows it. */
async function appOf(rt: Runtime, authorization: string | string[] | undefined): Promise<string | undefined> {
  const res = await rt.handle({ method: 'GET', path: `${AGENT_BASE}/manifest`, headers: { authorization }, clientIp: CLIENT_IP });
  return json(res).data?.app?.id;
}

/** A server that executes `action` at once when it arrives without execute, yet still answers "pending draft". */
function executesAtOnce(action: string): Wrap {
  return async (req, rt) => {
    const res = await rt.handle(req);
    const sent = isActions(req) ? bodyOf(req) : undefined;
    const id = json(res).data?.draft?.id;
    if (sent?.action === action && !sent.execute && typeof id === 'string') await admin(rt, 'POST', `/drafts/${id}/approve`, {});
    return res;
  };
}

/** Rewrite PATCH /apps/{id}/auto-execute: `store` is what the server applies, the echo repeats what was sent. */
function autoExecuteStored(store: (sent: any) => any | RuntimeResponse): Wrap {
  return async (req, rt) => {
    if (req.method !== 'PATCH' || !req.path.endsWith('/auto-execute')) return rt.handle(req);
    const sent = bodyOf(req);
    const applied = store(sent);
    if (applied && typeof applied.status === 'number' && typeof applied.body === 'string') return applied as RuntimeResponse;
    const res = await rt.handle(withBody(req, applied));
    const j = json(res);
    return res.status === 200 ? reply(200, { ...j, data: { ...j.data, auto_execute: sent } }) : res;
  };
}

const validation = reply(400, { ok: false, code: 'common.validation', message: 'Validation failed', details: { issues: [{ code: 'custom', path: ['writes', 'allowed_actions'], message: 'refused' }] } });

describe('WRITE checks', () => {
  it.each(['transaction.delete', 'transaction.update'])('WRITE-001 catches a server that executes %s at once while answering "draft"', async (action) => {
    fails(await runCheck(write001, executesAtOnce(action)), new RegExp(`${action} without execute`));
  });

  it('WRITE-001 passes the clean runtime (all three write classes drafted)', async () => {
    const o = await runCheck(write001);
    passes(o);
    expect(o.notes).toEqual([]);
  });

  it('WRITE-001 accepts drafts without timestamps (the brief names none)', async () => {
    const untimed = (d: any) => (d && typeof d === 'object' ? Object.fromEntries(Object.entries(d).filter(([k]) => !/_at$/.test(k))) : d);
    const wrap: Wrap = async (req, rt) => {
      const res = await rt.handle(req);
      const body = json(res);
      if (res.status !== 200 || !body?.data?.draft) return res;
      return reply(200, { ...body, data: { ...body.data, draft: untimed(body.data.draft) } });
    };
    passes(await runCheck(write001, wrap));
  });

  /** Another tenant's draft answered as a tenant-boundary denial (only across tenants, or — wrongly — within one). */
  const tenantDenial = (acrossTenantsOnly: boolean): Wrap => async (req, rt) => {
    const res = await rt.handle(req);
    const m = /^\/api\/agent\/v1\/drafts\/([^/?]+)/.exec(req.path);
    if (req.method !== 'GET' || !m || res.status !== 404) return res;
    const draft = json(await admin(rt, 'GET', `/drafts/${m[1]}`)).data?.draft;
    if (!draft) return res;
    const apps: { id: string; org_id: string }[] = json(await admin(rt, 'GET', '/apps')).data.items;
    const orgOf = (id: string | undefined) => apps.find((a) => a.id === id)?.org_id;
    const foreign = orgOf(draft.app_id) !== orgOf(await appOf(rt, req.headers.authorization));
    return foreign || !acrossTenantsOnly ? refusal(403, 'agent.policy_denied') : res;
  };

  it("WRITE-005 accepts a tenant-boundary denial for another tenant's key, not within the tenant", async () => {
    passes(await runCheck(write005, tenantDenial(true)));
    fails(await runCheck(write005, tenantDenial(false)), /another app of the same tenant/);
  });

  it('WRITE-006 catches an execution audit event that does not carry the draft id', async () => {
    const f = fails(await runCheck(write006, auditItems((items) => items.map((e) => (e.execution_id ? { ...e, draft_id: null } : e)))));
    expect(f.actual).toContain('draft_id null');
    passes(await runCheck(write006));
  });
});

describe('AUTOEXEC checks', () => {
  it('AUTOEXEC-001 catches a server that stores enabled:false but opens the window anyway', async () => {
    const ignoresEnabled = autoExecuteStored((sent) => (sent?.writes?.enabled === false ? { ...sent, writes: { ...sent.writes, enabled: true } } : sent));
    fails(await runCheck(autoexec001, ignoresEnabled), /enabled:false/);
    passes(await runCheck(autoexec001));
  });

  it('AUTOEXEC-004 records what an empty allowed_actions means and never fails on it (the brief is silent)', async () => {
    const all = Object.entries(DEMO_TARGET.tools).filter(([, t]) => t.write && t.risk !== 'high').map(([name]) => name);
    const emptyMeansAll = await runCheck(autoexec004, autoExecuteStored((sent) => (sent?.writes?.allowed_actions?.length === 0 ? { ...sent, writes: { ...sent.writes, allowed_actions: all } } : sent)));
    passes(emptyMeansAll);
    expect(emptyMeansAll.notes.join(' ')).toContain('allowed_actions []: not withheld');
    const refuses = await runCheck(autoexec004, autoExecuteStored((sent) => (sent?.writes?.allowed_actions?.length === 0 ? validation : sent)));
    passes(refuses);
    expect(refuses.partial.join(' ')).toContain('refused an empty allowed_actions');
    const clean = await runCheck(autoexec004);
    passes(clean);
    expect(clean.notes.join(' ')).toContain('allowed_actions []: withheld (agent.auto_execute_denied)');
  });

  it('AUTOEXEC-010 catches an export past max_export_rows, and does not judge a limit the server keeps above the rows', async () => {
    // The admin plane echoes the limit but never applies it.
    const ignored = autoExecuteStored((sent) => {
      const { max_export_rows: _dropped, ...high } = sent?.high_risk ?? {};
      return sent?.high_risk ? { ...sent, high_risk: high } : sent;
    });
    fails(await runCheck(autoexec010, ignored), /delivered more rows than max_export_rows/);
    const clean = await runCheck(autoexec010);
    passes(clean);
    expect(clean.notes.join(' ')).toMatch(/transactions\.export_csv: 1 of \d+ rows under max_export_rows 1/);
    // A floor of its own, reported back (the authors' runtime keeps at least 100): resources are created to
    // pass it, and the limit is judged; a floor too far above the rows there are is not judged.
    const floorOf = (floor: number): Wrap => (req, rt) => {
      const sent = req.method === 'PATCH' && req.path.endsWith('/auto-execute') ? bodyOf(req) : undefined;
      return rt.handle(sent?.high_risk?.max_export_rows ? withBody(req, { ...sent, high_risk: { ...sent.high_risk, max_export_rows: floor } }) : req);
    };
    const floor = await runCheck(autoexec010, floorOf(10));
    passes(floor);
    expect(floor.notes.join(' ')).toMatch(/transactions\.export_csv: 11 row\(s\) after creating \d+ to pass the server's max_export_rows floor of 10.*10 of 11 rows under max_export_rows 10/);
    const high = await runCheck(autoexec010, floorOf(1000));
    passes(high);
    expect(high.partial.join(' ')).toContain('the server keeps 1000');
    const none = await runCheck(autoexec010, undefined, { target: (t) => ({ ...t, writes: { ...t.writes, others: t.writes.others?.map(({ rowCountPath: _r, ...s }) => s) } }) });
    passes(none);
    expect(none.partial.join(' ')).toContain('describes no export');
  });

  it('AUTOEXEC-007 accepts an admin plane that refuses a high-risk action in the writes window', async () => {
    const o = await runCheck(autoexec007, autoExecuteStored((sent) => (sent?.writes?.allowed_actions?.includes('transaction.delete') ? validation : sent)));
    passes(o);
    expect(o.notes.join(' ')).toContain('refused transaction.delete in writes.allowed_actions');
  });
});

/** A key of a fresh app holding only ledger.read, as a --token a user might pass. */
async function readOnlyToken(rt: Runtime): Promise<string> {
  const res = await admin(rt, 'POST', '/apps', { scope: 'workspace', name: 'read-only', org_id: 'org_demo', service_user_id: 'svc_ro', scopes: ['ledger.read'] });
  return json(res).data.token;
}

describe('PREFLIGHT checks', () => {
  it.each([preflight001, witness001])('$id skips, not fails, when the run token may not use the write tools', async (def) => {
    const o = await runCheck(def, undefined, { token: readOnlyToken, admin: false });
    expect(o.error).toBeInstanceOf(Skip);
    expect((o.error as Skip).hint).toMatch(/--token/);
  });

  it('PREFLIGHT-008 catches a delete impact without the row, with its id only, or with a stale field; without a delete it is a partial pass', async () => {
    const deleteImpact = (edit: (impact: any) => any): Wrap => async (req, rt) => {
      const res = await rt.handle(req);
      if (req.method !== 'POST' || req.path !== `${AGENT_BASE}/preflight` || !String(bodyOf(req)?.action).includes('delete') || res.status !== 200) return res;
      const j = json(res);
      return reply(200, { ...j, data: { ...j.data, impact: edit(j.data.impact) } });
    };
    fails(await runCheck(preflight008, deleteImpact((i) => ({ summary: i.summary }))), /does not describe the row it deletes/);
    fails(await runCheck(preflight008, deleteImpact((i) => ({ ...i, transaction: { id: i.transaction.id } }))), /none of its fields/);
    fails(await runCheck(preflight008, deleteImpact((i) => ({ ...i, transaction: { ...i.transaction, title: 'as it was yesterday' } }))), /other than the row's current ones/);
    const clean = await runCheck(preflight008);
    passes(clean);
    expect(clean.notes.join(' ')).toMatch(/transaction\.hard_delete: the impact shows \d+ current field\(s\) of txn_1/);
    const none = await runCheck(preflight008, undefined, {
      target: (t) => ({ ...t, writes: { ...t.writes, highRisk: { ...t.writes.highRisk, effect: { field: 'is_deleted', equals: true } }, others: t.writes.others?.filter((s) => !s.effect?.absent) } }),
    });
    passes(none);
    expect(none.partial.join(' ')).toContain('describes no delete');
  });

  it('PREFLIGHT-003 catches a server that only tests that a justification is present', async () => {
    const presenceOnly: Wrap = (req, rt) => (isActions(req) && bodyOf(req)?.justification === '' ? rt.handle(withBody(req, { ...bodyOf(req), justification: 'x' })) : rt.handle(req));
    fails(await runCheck(preflight003, presenceOnly), /justification ""/);
    passes(await runCheck(preflight003));
  });

  it('PREFLIGHT-004 catches a server that binds the preflightHash to the payload but does not recompute the impact', async () => {
    const issued = new Map<string, Set<string>>();
    const keyOf = (req: RuntimeRequest, b: any) => `${String(req.headers.authorization)} ${b.action} ${JSON.stringify(b.payload)}`;
    const storedImpact: Wrap = async (req, rt) => {
      const b = bodyOf(req);
      if (req.method === 'POST' && req.path === `${AGENT_BASE}/preflight`) {
        const res = await rt.handle(req);
        const h = json(res).data?.impactHash;
        if (typeof h === 'string') issued.set(keyOf(req, b), (issued.get(keyOf(req, b)) ?? new Set()).add(h));
        return res;
      }
      if (isActions(req) && typeof b?.preflightHash === 'string' && issued.get(keyOf(req, b))?.has(b.preflightHash)) {
        // Any hash once issued for this payload is accepted: swap in what the runtime computes now.
        const fresh = json(await rt.handle({ ...req, path: `${AGENT_BASE}/preflight`, body: JSON.stringify({ action: b.action, payload: b.payload }) })).data.impactHash;
        return rt.handle(withBody(req, { ...b, preflightHash: fresh }));
      }
      return rt.handle(req);
    };
    fails(await runCheck(preflight004, storedImpact), /impact that has since changed/);
    passes(await runCheck(preflight004));
  });

  it("accepts a server that takes a preflightHash to name its preflight and binds that preflight's witness (a swap of a witnessed tool refused with 409)", async () => {
    const preflighted = new Map<string, { payload: string; witnessed: boolean }>();
    const bindsWitness: Wrap = async (req, rt) => {
      const b = bodyOf(req);
      if (req.method === 'POST' && req.path === `${AGENT_BASE}/preflight`) {
        const res = await rt.handle(req);
        const d = json(res).data;
        if (typeof d?.impactHash === 'string') preflighted.set(d.impactHash, { payload: JSON.stringify(b.payload), witnessed: typeof d.stateWitnessHash === 'string' });
        return res;
      }
      const named = isActions(req) && b?.execute === true ? preflighted.get(b.preflightHash) : undefined;
      // The named preflight's witness is of another resource than the one sent: stale, 409.
      return named?.witnessed && named.payload !== JSON.stringify(b.payload) ? refusal(409, 'agent.precondition_failed') : rt.handle(req);
    };
    passes(await runCheck(preflight004, bindsWitness));
  });

  it('catches an export that executes whatever preflightHash it carries (its payload swapped to the other ledger)', async () => {
    const exportUnchecked: Wrap = async (req, rt) => {
      const b = isActions(req) ? bodyOf(req) : undefined;
      if (b?.action !== 'transactions.export_csv' || typeof b.preflightHash !== 'string') return rt.handle(req);
      const fresh = json(await rt.handle({ ...req, path: `${AGENT_BASE}/preflight`, body: JSON.stringify({ action: b.action, payload: b.payload }) })).data.impactHash;
      return rt.handle(withBody(req, { ...b, preflightHash: fresh }));
    };
    fails(await runCheck(preflight004, exportUnchecked), /transactions\.export_csv execute with the preflightHash of another payload/);
  });

  it.each([preflight005, preflight006])('$id accepts a server that uses a preflightId up on any presentation, even a refused one', async (def) => {
    const used = new Set<string>();
    const singleShot: Wrap = (req, rt) => {
      const id = isActions(req) ? bodyOf(req)?.preflightId : undefined;
      if (typeof id !== 'string') return rt.handle(req);
      if (used.has(id)) return Promise.resolve(refusal(400, 'agent.preflight_not_found'));
      used.add(id);
      return rt.handle(req);
    };
    const o = await runCheck(def, singleShot);
    passes(o);
    expect(o.notes.join(' ')).toContain('fresh preflight');
  });

  it('PREFLIGHT-005 catches a preflightId bound to the app but not to the key', async () => {
    const issuer = new Map<string, string | string[] | undefined>();
    const appBound: Wrap = async (req, rt) => {
      if (req.method === 'POST' && req.path === `${AGENT_BASE}/preflight`) {
        const res = await rt.handle(req);
        const id = json(res).data?.preflightId;
        if (typeof id === 'string') issuer.set(id, req.headers.authorization);
        return res;
      }
      const id = isActions(req) ? bodyOf(req)?.preflightId : undefined;
      const owner = issuer.get(id);
      if (owner !== undefined && owner !== req.headers.authorization && (await appOf(rt, owner)) === (await appOf(rt, req.headers.authorization))) {
        return rt.handle({ ...req, headers: { ...req.headers, authorization: owner } });
      }
      return rt.handle(req);
    };
    fails(await runCheck(preflight005, appBound), /another key of the same app/);
    passes(await runCheck(preflight005));
    fails(await runCheck(preflight007, appBound), /another key of the same app was accepted/);
    passes(await runCheck(preflight007));
  });

  it('PREFLIGHT-007 holds the binding whatever the refusal says (the code is PREFLIGHT-005\'s SHOULD)', async () => {
    const issuer = new Map<string, string | string[] | undefined>();
    const otherCode: Wrap = async (req, rt) => {
      const res = await rt.handle(req);
      if (req.method === 'POST' && req.path === `${AGENT_BASE}/preflight`) {
        const id = json(res).data?.preflightId;
        if (typeof id === 'string') issuer.set(id, req.headers.authorization);
      }
      const id = isActions(req) ? bodyOf(req)?.preflightId : undefined;
      return issuer.has(id) && issuer.get(id) !== req.headers.authorization ? refusal(403, 'agent.policy_denied') : res;
    };
    passes(await runCheck(preflight007, otherCode));
    fails(await runCheck(preflight005, otherCode), /another app/);
  });
});

describe('WRITE-004 and a cap on the keys an app holds', () => {
  /** A server that keeps at most `extra` keys per app besides the app's first, and refuses another with 429 storage_full. */
  const capped = (extra: number): Wrap => {
    const live = new Map<string, Set<string>>();
    return async (req, rt) => {
      const made = /^\/api\/agent-admin\/v1\/apps\/([^/]+)\/keys$/.exec(req.path);
      if (req.method === 'POST' && made) {
        const mine = live.get(made[1]!) ?? new Set<string>();
        if (mine.size >= extra) return reply(429, { ok: false, code: 'agent.rate_limited', message: 'Too many keys', details: { reason: 'storage_full', store: 'keys' } });
        const res = await rt.handle(req);
        const id = json(res).data?.key?.id;
        if (typeof id === 'string') live.set(made[1]!, mine.add(id));
        return res;
      }
      const revoked = /^\/api\/agent-admin\/v1\/keys\/([^/]+)\/revoke$/.exec(req.path);
      if (req.method === 'POST' && revoked) for (const mine of live.values()) mine.delete(revoked[1]!);
      return rt.handle(req);
    };
  };

  it("passes on a server holding one extra key per app: each tool's key is revoked once the tool is judged", async () => {
    passes(await runCheck(write004, capped(1)));
  });

  /**
   * A server that checks a draft's status, then acts on it a moment later without checking again: a second review of
   * the draft arriving meanwhile goes through too (answered as done, whatever the first one did).
   */
  const reviewRace = (): Wrap => {
    const inFlight = new Set<string>();
    return async (req, rt) => {
      const m = /\/drafts\/([^/]+)\/(approve|reject)$/.exec(req.path);
      if (req.method !== 'POST' || !m) return rt.handle(req);
      if (inFlight.has(m[1]!)) return reply(200, { ok: true, code: 'common.success', data: { draft: { id: m[1], status: m[2] === 'approve' ? 'confirmed' : 'canceled' } } });
      inFlight.add(m[1]!);
      try {
        await new Promise((ok) => setImmediate(ok));
        return await rt.handle(req);
      } finally {
        inFlight.delete(m[1]!);
      }
    };
  };

  it('catches two reviews of one pending draft that both go through when sent at once', async () => {
    fails(await runCheck(write004, reviewRace()), /^approve and approve of one pending draft sent at once: 2 went through/);
  });

  it('is blocked, as a quota and not as a rate limit, where the server holds no extra key', async () => {
    const o = await runCheck(write004, capped(0));
    expect((o.error as Error).name).toBe('Blocked');
    expect((o.error as Blocked).message).toMatch(/^refused for lack of room: POST \/api\/agent-admin\/v1\/apps\/[^ ]+\/keys answered HTTP 429 with details.reason "storage_full", a quota of the server rather than a rate limit$/);
    // In process, the runtime is the run's own: nothing to free there, only less to make.
    expect((o.error as Blocked).hint).toMatch(/^the embedded runtime holds what one run makes up to its caps/);
  });
});

describe('IDEM-002', () => {
  it('catches idempotency keys scoped per key instead of per app', async () => {
    const perKey: Wrap = (req, rt) => {
      const b = isActions(req) ? bodyOf(req) : undefined;
      if (typeof b?.idempotencyKey !== 'string') return rt.handle(req);
      const k = createHash('sha256').update(String(req.headers.authorization)).digest('hex').slice(0, 8);
      return rt.handle(withBody(req, { ...b, idempotencyKey: `${k}:${b.idempotencyKey}` }));
    };
    fails(await runCheck(idem002, perKey), /second key of the app/);
  });

  it("catches one idempotency namespace for all apps (another app gets this app's execution)", async () => {
    const first = new Map<string, { app: string | undefined; execution: unknown }>();
    const global: Wrap = async (req, rt) => {
      const b = isActions(req) ? bodyOf(req) : undefined;
      if (typeof b?.idempotencyKey !== 'string') return rt.handle(req);
      const app = await appOf(rt, req.headers.authorization);
      const seen = first.get(b.idempotencyKey);
      if (seen && seen.app !== app) return reply(200, { ok: true, code: 'common.success', data: { status: 'executed', replayed: true, code: 'agent.idempotency_replay', execution: seen.execution } });
      const res = await rt.handle(req);
      const execution = json(res).data?.execution;
      if (execution && !seen) first.set(b.idempotencyKey, { app, execution });
      return res;
    };
    fails(await runCheck(idem002, global), /another app's request/);
    passes(await runCheck(idem002));
  });

  // The brief does not order the key's lookup before a request's other checks: a repeat whose witness the first
  // execution made stale may be refused (409) before the key is looked up, as long as nothing runs again.
  it('accepts a server that re-checks the witness before looking up the key (a refusal that runs nothing: a partial pass)', async () => {
    const executedKeys = new Set<string>();
    const witnessFirst: Wrap = async (req, rt) => {
      const b = isActions(req) ? bodyOf(req) : undefined;
      if (b?.execute === true && typeof b.stateWitnessHash === 'string' && executedKeys.has(b.idempotencyKey)) return refusal(409, 'agent.precondition_failed');
      const res = await rt.handle(req);
      if (b?.execute === true && json(res).data?.status === 'executed') executedKeys.add(b.idempotencyKey);
      return res;
    };
    const o = await runCheck(idem002, witnessFirst);
    passes(o);
    expect(o.partial.join('\n')).toMatch(/the repeated transaction\.update was refused before its key was looked up \(HTTP 409 agent\.precondition_failed\)/);
  });

  it("accepts a replay audited under an action named for it, with another code and without the execution's id; catches one not audited", async () => {
    /** The audit listing with each replay's event rewritten by `change` (undefined: left out). */
    const replays = (change: (e: any) => any): Wrap => async (req, rt) => {
      const res = await rt.handle(req);
      if (req.method !== 'GET' || !req.path.startsWith(`${ADMIN_BASE}/audit`)) return res;
      const body = json(res);
      const items = body.data.items.flatMap((e: any) => (e.code === 'agent.idempotency_replay' ? [change(e)].filter(Boolean) : [e]));
      return reply(200, { ...body, data: { ...body.data, items } });
    };
    passes(await runCheck(idem002, replays((e) => ({ ...e, action: 'agent.action.idempotency_replay', code: 'common.success', execution_id: null, details: {} }))));
    fails(await runCheck(idem002, replays(() => undefined)), /left no audit event/);
  });

  it('catches a repeated key that runs a later tool again', async () => {
    let sent = 0;
    const runsAgain: Wrap = (req, rt) => {
      const b = isActions(req) ? bodyOf(req) : undefined;
      // Each export request gets a key of its own: a repeat runs again, with a new execution.
      return rt.handle(b?.action === 'transactions.export_csv' && typeof b.idempotencyKey === 'string' ? withBody(req, { ...b, idempotencyKey: `${b.idempotencyKey}:${++sent}` }) : req);
    };
    fails(await runCheck(idem002, runsAgain), /the repeated transactions\.export_csv execute with the same key, from another key of the app was not answered with the original execution/);
  });
});

describe('WITNESS checks', () => {
  it('a server whose witness versions have one-second resolution is drifted until its witness moves, not failed', async () => {
    // Preflight shows updated_at to the second; a stateWitnessHash is compared at that resolution.
    const coarse = async (req: RuntimeRequest, rt: Runtime) => {
      const res = await rt.handle({ ...req, method: 'POST', path: `${AGENT_BASE}/preflight` });
      const d = json(res).data;
      if (!d?.stateWitness) return { res, hash: undefined };
      const stateWitness = { ...d.stateWitness, updated_at: `${d.stateWitness.updated_at.slice(0, 19)}Z` };
      return { res: reply(200, { ...json(res), data: { ...d, stateWitness, stateWitnessHash: witnessHash(stateWitness) } }), hash: witnessHash(stateWitness), real: d.stateWitnessHash };
    };
    const secondResolution: Wrap = async (req, rt) => {
      if (req.method === 'POST' && req.path === `${AGENT_BASE}/preflight`) return (await coarse(req, rt)).res;
      const b = isActions(req) ? bodyOf(req) : undefined;
      if (typeof b?.stateWitnessHash !== 'string') return rt.handle(req);
      const now = await coarse(withBody(req, { action: b.action, payload: b.payload }), rt);
      return rt.handle(now.hash === b.stateWitnessHash ? withBody(req, { ...b, stateWitnessHash: now.real }) : req);
    };
    // (Unless the drift happens to cross a second boundary, the first drift leaves the witness as it was.)
    passes(await runCheck(witness002, secondResolution));
  });

  it('WITNESS-002 catches a server that ignores a stale stateWitnessHash on the update tool', async () => {
    const ignoresUpdateWitness: Wrap = (req, rt) => {
      const b = isActions(req) ? bodyOf(req) : undefined;
      if (b?.action !== 'transaction.update' || b.stateWitnessHash === undefined) return rt.handle(req);
      const { stateWitnessHash: _dropped, ...rest } = b;
      return rt.handle(withBody(req, rest));
    };
    fails(await runCheck(witness002, ignoresUpdateWitness), /transaction\.update request with a stale stateWitnessHash/);
    passes(await runCheck(witness002));
  });

  it('WITNESS-003 catches a server that approves a stale update draft without re-checking its witness', async () => {
    const drafted = new Map<string, RuntimeRequest>();
    const unwitnessedUpdates: Wrap = async (req, rt) => {
      const res = await rt.handle(req);
      const b = isActions(req) ? bodyOf(req) : undefined;
      const id = json(res).data?.draft?.id;
      if (b?.action === 'transaction.update' && !b.execute && typeof id === 'string') drafted.set(id, req);
      const m = /\/drafts\/([^/]+)\/approve$/.exec(req.path);
      const again = m ? drafted.get(m[1]!) : undefined;
      if (!again || res.status !== 409) return res;
      // Runs the same update anyway, through a fresh draft: the stale witness is never looked at.
      const copy = json(await rt.handle(again)).data.draft.id;
      return admin(rt, 'POST', `/drafts/${copy}/approve`, {});
    };
    fails(await runCheck(witness003, unwitnessedUpdates), /transaction\.update draft whose resource drifted/);
    passes(await runCheck(witness003));
  });
});

describe('FUZZ-005 lifecycle model', () => {
  it('does not require audit events for manifest reads or 4xx failures (AUDIT-001 and AUDIT-003 decide those)', async () => {
    const quiet = auditItems((items) => items.filter((e) => e.action !== 'agent.manifest.read' && !e.action.startsWith('agent_') && !(e.status !== 'success' && e.draft_id === null)));
    passes(await runCheck(fuzz005, quiet, { fuzzRuns: 300 }));
  }, 60_000);

  it('still catches a server that leaves draft creations unaudited', async () => {
    const f = fails(await runCheck(fuzz005, auditItems((items) => items.filter((e) => e.draft_id === null || e.execution_id !== null || e.performed_by_user_id !== e.actor_user_id)), { fuzzRuns: 300 }));
    expect(f.message).toMatch(/audit events do not account/);
  }, 60_000);
});

describe('FUZZ-006 differential', () => {
  it('with a narrow --token and no admin plane, does not compare validation of a tool the token cannot see', async () => {
    // A legitimate order: resolve (and hide) the tool before validating the body.
    const toolFirst: Wrap = async (req, rt) => {
      const b = req.method === 'POST' && /\/(preflight|actions)$/.test(req.path) ? (() => { try { return bodyOf(req); } catch { return undefined; } })() : undefined;
      if (typeof b?.action !== 'string' || !Object.hasOwn(DEMO_TARGET.tools, b.action)) return rt.handle(req);
      const manifest = await rt.handle({ method: 'GET', path: `${AGENT_BASE}/manifest`, headers: { authorization: req.headers.authorization }, clientIp: CLIENT_IP });
      const visible: { name: string }[] | undefined = json(manifest).data?.tools;
      return !visible || visible.some((t) => t.name === b.action) ? rt.handle(req) : refusal(400, 'agent.action_unknown');
    };
    passes(await runCheck(fuzz006, toolFirst, { token: readOnlyToken, admin: false, fuzzRuns: 60 }));
  });
});

describe('FUZZ-008 corpus replay', () => {
  it('skips, not passes, when none of the corpus cases can be sent', async () => {
    const o = await runCheck({ ...fuzz008, run: (ctx) => replayCorpus(ctx, [{ id: 'admin-only', file: 'admin-only.json', requirement: 'FUZZ-001', seed: 1, path: '0', note: '', request: { plane: 'admin', method: 'GET', path: `${ADMIN_BASE}/audit`, headers: {} } }]) }, undefined, { admin: false });
    expect(o.error).toBeInstanceOf(Skip);
  });
});

describe('FUZZ oracles', () => {
  const exchange = (path: string, status: number, body: unknown, headers: Record<string, string> = {}): Exchange => ({
    request: { method: 'POST', path, headers, body: '{}' },
    response: { status, headers: { 'content-type': 'application/json' }, text: JSON.stringify(body), json: body },
    durationMs: 0,
  });
  const ctx = (secrets: string[] = []) => ({ secrets: () => secrets }) as unknown as CheckContext;
  const sent = { plane: 'admin' as const, method: 'POST', path: '/', headers: {} };

  it('FUZZ-002 accepts 201 for a created resource but no other success status', () => {
    const created = exchange(`${ADMIN_BASE}/apps/app_1/keys`, 201, { ok: true, code: 'common.success', data: {} });
    expect(() => wellFormed(created, sent, ctx())).not.toThrow();
    expect(() => wellFormed({ ...created, response: { ...created.response, status: 202 } }, sent, ctx())).toThrow(Finding);
  });

  it('FUZZ-003 lets a response repeat a secret the request carried in its path, not one it carried in a header', () => {
    const token = 'op_reflectedreflectedreflected1234';
    const echo = { ok: false, code: 'agent.not_found', message: `no route for /x?access_token=${token}` };
    expect(() => noLeak(exchange(`/x?access_token=${token}`, 404, echo), { ...sent, plane: 'agent' }, ctx([token]))).not.toThrow();
    expect(() => noLeak(exchange('/x', 404, echo, { 'x-api-key': token }), { ...sent, plane: 'agent' }, ctx([token]))).toThrow(/token|echoed/);
  });
});
