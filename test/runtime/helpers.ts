import { readFileSync } from 'node:fs';
import { createRuntime, selectFaults, selectVariants } from '../../src/runtime/index.js';
import type { Runtime, RuntimeOptions } from '../../src/runtime/index.js';

/** Runtime options with faults and variants by name, as tests write them. */
export type TestRuntimeOptions = Omit<RuntimeOptions, 'faults' | 'variants'> & { faults?: readonly string[]; variants?: readonly string[] };

/** createRuntime with faults and variants named (the registries are loaded here; unknown names throw). */
export function testRuntime({ faults, variants, ...opts }: TestRuntimeOptions = {}): Runtime {
  return createRuntime({
    ...opts,
    ...(faults && faults.length > 0 ? { faults: selectFaults(faults) } : {}),
    ...(variants && variants.length > 0 ? { variants: selectVariants(variants) } : {}),
  });
}

export interface Res {
  status: number;
  headers: Record<string, string>;
  json: any;
}

export interface CallOpts {
  token?: string | null;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  ip?: string;
}

/** A runtime plus terse helpers that drive runtime.handle directly (no sockets). */
export function harness(opts: TestRuntimeOptions = {}) {
  const runtime: Runtime = testRuntime({ seed: 7, ...opts });
  const call = async (method: string, path: string, o: CallOpts = {}): Promise<Res> => {
    const headers: Record<string, string> = { 'user-agent': 'vitest', ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    const body = o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    const r = await runtime.handle({ method, path, headers, body, clientIp: o.ip ?? '127.0.0.1' });
    let json: unknown;
    try {
      json = JSON.parse(r.body);
    } catch {
      json = undefined;
    }
    return { status: r.status, headers: r.headers, json };
  };
  const token = runtime.bootstrap.agentToken;
  const agent = (method: string, path: string, o: CallOpts = {}) =>
    call(method, `/api/agent/v1${path}`, { token: o.token === undefined ? token : o.token, ...o });
  const admin = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    call(method, `/api/agent-admin/v1${path}`, { body, headers: { ...runtime.adminHeaders, 'x-admin-user': 'admin_test', ...headers } });
  const newApp = async (spec: Record<string, unknown> = {}) => {
    const r = await admin('POST', '/apps', { scope: 'workspace', name: 'test app', scopes: ALL_SCOPES, ...spec });
    if (r.status !== 200) throw new Error(`createApp failed: ${JSON.stringify(r.json)}`);
    return { appId: r.json.data.app.id as string, keyId: r.json.data.key.id as string, token: r.json.data.token as string };
  };
  const audit = async (appId?: string) => (await admin('GET', `/audit${appId ? `?appId=${appId}` : ''}`)).json.data.items as any[];
  const drafts = async (appId: string) => (await admin('GET', `/drafts?appId=${appId}`)).json.data.items as any[];
  const txns = async (ledgerId = 'ledger_main', tok = token) =>
    (await agent('GET', `/transactions?ledgerId=${ledgerId}&pageSize=200`, { token: tok })).json.data.items as any[];
  return { runtime, call, agent, admin, newApp, audit, drafts, txns, token };
}

export type Harness = ReturnType<typeof harness>;

export const ALL_SCOPES = ['ledger.read', 'transaction.read', 'transaction.write', 'transaction.delete', 'transaction.export'];

export const CREATE = { ledgerId: 'ledger_main', kind: 'expense', title: 'Test expense', amount_home: 12.5 };

export function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`../../fixtures/peer-exchanges/${name}.json`, import.meta.url), 'utf8'));
}

/** Enables auto-execution of every action for an app, both risk classes, for an hour. */
export async function enableAutoExecute(h: Harness, appId: string, extra: Record<string, unknown> = {}) {
  const expires_at = new Date(Date.now() + 3_600_000).toISOString();
  const actions = ['transaction.create', 'transaction.update', 'transaction.delete', 'transaction.hard_delete', 'transactions.export_csv'];
  const r = await h.admin('PATCH', `/apps/${appId}/auto-execute`, {
    writes: { enabled: true, expires_at, allowed_actions: actions },
    high_risk: { enabled: true, expires_at, allowed_actions: actions },
    ...extra,
  });
  if (r.status !== 200) throw new Error(JSON.stringify(r.json));
}

/** A high-risk execute request body that passes every gate, from a fresh preflight. */
export async function highRiskBody(h: Harness, action: string, payload: Record<string, unknown>, token: string, idem: string) {
  const pf = await h.agent('POST', '/preflight', { token, body: { action, payload } });
  if (pf.status !== 200) throw new Error(JSON.stringify(pf.json));
  return {
    pf: pf.json.data,
    body: { action, payload, execute: true, justification: 'cleanup', idempotencyKey: idem, preflightHash: pf.json.data.impactHash },
  };
}
