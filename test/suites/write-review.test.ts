/**
 * The review of the write-lifecycle, state-witness and fuzz checks, proven both ways: each defect class a
 * check was hardened against is injected by a thin wrapper around the reference runtime's handler (the
 * runtime itself stays untouched) and the check must fail on it and pass on the clean runtime; each
 * legitimate choice it was taught to accept is injected the same way and the check must not fail on it.
 */
import { describe, expect, it } from 'vitest';
import { Finding, Skip, type CheckDef, type Exchange } from '../../src/engine/check.js';
import { createContext, type RunEnv } from '../../src/engine/context.js';
import { PersonaRegistry } from '../../src/engine/personas.js';
import { DEMO_TARGET } from '../../src/engine/target.js';
import { InProcessTransport } from '../../src/engine/transport.js';
import { noLeak, wellFormed } from '../../fuzz/properties.js';
import { ADMIN_BASE, AGENT_BASE } from '../../src/protocol/types.js';
import { createRuntime } from '../../src/runtime/index.js';
import type { Runtime, RuntimeRequest, RuntimeResponse } from '../../src/runtime/types.js';
import { write001 } from '../../suites/write/write-001.js';
import { write005 } from '../../suites/write/write-005.js';
import { write006 } from '../../suites/write/write-006.js';
import { autoexec001 } from '../../suites/autoexec/autoexec-001.js';
import { autoexec004 } from '../../suites/autoexec/autoexec-004.js';
import { autoexec007 } from '../../suites/autoexec/autoexec-007.js';
import { preflight001 } from '../../suites/preflight/preflight-001.js';
import { preflight003 } from '../../suites/preflight/preflight-003.js';
import { preflight004 } from '../../suites/preflight/preflight-004.js';
import { preflight005 } from '../../suites/preflight/preflight-005.js';
import { idem002 } from '../../suites/idem/idem-002.js';
import { witness001 } from '../../suites/witness/witness-001.js';
import { witness002 } from '../../suites/witness/witness-002.js';
import { witness003 } from '../../suites/witness/witness-003.js';
import { fuzz005 } from '../../suites/fuzz/fuzz-005.js';
import { fuzz006 } from '../../suites/fuzz/fuzz-006.js';

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

interface Outcome { error: unknown; notes: string[] }

/** Run one check against the reference runtime behind `wrap`, in process, as the engine would. */
async function runCheck(def: CheckDef, wrap?: Wrap, over: { token?: (rt: Runtime) => Promise<string>; admin?: boolean; fuzzRuns?: number } = {}): Promise<Outcome> {
  const rt = createRuntime({ seed: 11 });
  const served: Runtime = { adminHeaders: rt.adminHeaders, bootstrap: rt.bootstrap, faults: rt.faults, close: () => rt.close(), handle: wrap ? (req) => wrap(req, rt) : (req) => rt.handle(req) };
  const env: RunEnv = {
    transport: new InProcessTransport(served),
    target: structuredClone(DEMO_TARGET),
    token: over.token ? await over.token(rt) : rt.bootstrap.agentToken,
    adminHeaders: over.admin === false ? undefined : rt.adminHeaders,
    seed: 20261126,
    registry: new PersonaRegistry(),
    fuzz: { runs: over.fuzzRuns ?? 30, timeMs: 10_000 },
  };
  const { ctx, state } = createContext(def, env, new AbortController().signal);
  try {
    const error = await def.run(ctx).then(() => undefined, (e: unknown) => e);
    return { error, notes: state.notes };
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

describe('FUZZ-005 lifecycle model', () => {
  it('does not require audit events for manifest reads or 4xx failures (AUDIT-001 and AUDIT-003 decide those)', async () => {
    const quiet = auditItems((items) => items.filter((e) => e.action !== 'agent.manifest.read' && !e.action.startsWith('agent_') && !(e.status !== 'success' && e.draft_id === null)));
    passes(await runCheck(fuzz005, quiet, { fuzzRuns: 300 }));
  }, 60_000);
});
