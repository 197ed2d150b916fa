// Test doubles for the engine: a scripted transport and check definitions built from a body function.
import { expect } from 'vitest';
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
    unobserved: () => 0,
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
