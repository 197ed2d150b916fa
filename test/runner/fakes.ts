// Test doubles for the engine: a scripted transport and check definitions built from a body function.
import { expect } from 'vitest';
import { LAYERS, REQUIREMENTS } from '../../src/protocol/requirements.js';
import { ToolError, type CheckContext, type CheckDef, type Exchange, type HttpExchangeRequest, type Safety } from '../../src/kit/check.js';
import type { RunEnv } from '../../src/runner/context.js';
import { PersonaRegistry } from '../../src/runner/personas.js';
import { shippedTarget } from '../../src/runner/target-file.js';
const DEMO_TARGET = shippedTarget('demo');
import type { Transport } from '../../src/runner/transport.js';

export type Handler = (req: HttpExchangeRequest) => { status: number; body?: unknown; headers?: Record<string, string> };

export function fakeTransport(handler: Handler = () => ({ status: 200, body: { ok: true, code: 'common.success', data: {} } })): Transport & { sent: HttpExchangeRequest[] } {
  const log: Exchange[] = [];
  const sent: HttpExchangeRequest[] = [];
  return {
    baseUrl: 'http://127.0.0.1:9',
    embedded: false,
    sent,
    async send(req) {
      sent.push(req);
      const r = handler(req);
      const text = r.body === undefined ? '' : JSON.stringify(r.body);
      const ex: Exchange = {
        request: req,
        response: { status: r.status, headers: { 'content-type': 'application/json', ...r.headers }, text, json: r.body },
        durationMs: 0,
      };
      log.push(ex);
      return ex;
    },
    observed: () => log.slice(),
    keep: (ex) => void log.push(ex),
    unobserved: () => 0,
    secondAddress: async () => ({ why: 'a fake transport has one address' }),
    close: async () => undefined,
  };
}

export function fakeEnv(over: Partial<RunEnv> = {}): RunEnv {
  return {
    transport: fakeTransport(),
    target: structuredClone(DEMO_TARGET),
    token: 'op_faketokenfaketokenfaketoken123',
    adminHeaders: { 'x-admin-user': 'admin_test' },
    seed: 42,
    registry: new PersonaRegistry(),
    fuzz: { runs: 1, timeMs: 100 },
    ...over,
  };
}

export function check(id: string, run: (ctx: CheckContext) => Promise<void> | void, extra: Partial<CheckDef> = {}): CheckDef {
  return { id, safety: 'read-only' as Safety, needs: [], description: `fake ${id}`, run: async (ctx) => run(ctx), ...extra };
}

/**
 * A check list the runner accepts (one check per requirement of a profile layer): a passing read-only fake
 * for each, with `checks` in place of the fakes of their ids.
 */
export function checkList(...checks: CheckDef[]): CheckDef[] {
  const given = new Map(checks.map((c) => [c.id, c]));
  const list = REQUIREMENTS.filter((r) => LAYERS.includes(r.layer)).map((r) => given.get(r.id) ?? check(r.id, () => undefined));
  const left = checks.filter((c) => !list.includes(c));
  if (left.length > 0) throw new Error(`checkList: ${left.map((c) => c.id).join(', ')} would be dropped (no requirement of a profile layer, or given twice); append such a check to the list instead`);
  return list;
}

/** The ToolError `fn` throws; anything else thrown, or nothing, fails the test. */
export function toolErrorOf(fn: () => unknown): ToolError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ToolError);
    return e as ToolError;
  }
  throw new Error('expected a ToolError');
}

/** The ToolError `p` rejects with; any other outcome fails the test. */
export async function rejectionOf(p: Promise<unknown>): Promise<ToolError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(ToolError);
  return e as ToolError;
}
