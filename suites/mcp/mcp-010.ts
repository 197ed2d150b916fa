import type { CheckContext, CheckDef } from '../../src/kit/check.js';
import { everyCase, fail } from '../../src/kit/expect.js';
import { openSession, rpcMessage, rpcOutcome, withSession, type WireSession } from '../../src/kit/mcp-wire.js';

/** How far over the declared cap the oversized body goes: past any rounding of the cap, still a bounded body. */
const OVER_CAP = 1024;
/** The largest cap judged: a body over a larger one is not sent (a partial pass), so the check stays bounded. */
export const MAX_JUDGED_BODY_LIMIT = 8 * 1024 * 1024;

/** A body that is not JSON (an object cut short): HTTP 4xx with JSON-RPC's parse error -32700. */
async function parseError(session: WireSession): Promise<void> {
  const ex = await session.send('{"jsonrpc":"2.0","id":2,"method":');
  const m = rpcMessage(ex, null);
  if (ex.response.status < 400 || ex.response.status > 499 || m?.error?.code !== -32700) {
    fail('MCP: a body that is not JSON was not answered with a JSON-RPC parse error', { text: 'HTTP 4xx, JSON-RPC error -32700' }, rpcOutcome(ex, m), ex);
  }
}

/** A tools/call whose name is a number, which MCP's CallToolRequest schema rejects: -32602. */
async function invalidParams(session: WireSession): Promise<void> {
  const { ex, message } = await session.request('tools/call', { name: 123, arguments: {} });
  if (message?.error?.code !== -32602) {
    fail('MCP tools/call with params the schema rejects (name: 123) was not answered invalid params', { text: 'JSON-RPC error -32602' }, rpcOutcome(ex, message), ex);
  }
}

/** resources/read of a draft that does not exist: a protocol-level refusal, -32010, the refusal in error.data, its message as is. */
async function protocolRefusal(ctx: CheckContext, session: WireSession): Promise<void> {
  const uri = `openport://drafts/drf_mcp010_${Math.floor(ctx.random() * 1e9).toString(36)}`;
  const { ex, message } = await session.request('resources/read', { uri });
  const e = message?.error;
  const dataCode = e?.data?.code;
  if (e?.code !== -32010 || typeof dataCode !== 'string' || typeof e.data?.message !== 'string') {
    fail(`MCP resources/read of an unknown draft was not a protocol-level refusal`, { text: 'JSON-RPC error -32010 with error.data {code, message}' }, rpcOutcome(ex, message), ex);
  }
  if (e.message !== e.data!.message) {
    fail(
      'MCP resources/read of an unknown draft: error.message is not the OpenPort message as is',
      { text: `error.message ${JSON.stringify(String(e.data!.message).slice(0, 80))} (error.data.message)` },
      `error.message ${JSON.stringify(String(e.message ?? '').slice(0, 120))}`,
      ex,
    );
  }
}

/** A body just over the declared cap: HTTP 413 with a JSON-RPC error -32600 carrying common.validation. */
async function oversized(ctx: CheckContext, session: WireSession): Promise<void> {
  const limit = ctx.target.bodyLimitBytes;
  if (limit === undefined) return ctx.partial('the server\'s body cap is not declared (bodyLimitBytes of the target description): no oversized body was sent');
  if (limit > MAX_JUDGED_BODY_LIMIT) return ctx.partial(`the declared body cap (${limit} bytes) is over ${MAX_JUDGED_BODY_LIMIT} bytes: no oversized body was sent`);
  // A well-formed ping, padded past the cap: only its size is wrong.
  const body = JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'ping', params: { _meta: { pad: 'x'.repeat(limit + OVER_CAP) } } });
  const ex = await session.send(body);
  const m = rpcMessage(ex, null) ?? rpcMessage(ex, 99);
  if (ex.response.status !== 413 || m?.error?.code !== -32600 || m.error.data?.code !== 'common.validation') {
    fail(`MCP: a body over the server's cap (${body.length} bytes, cap ${limit}) was not answered as JSON-RPC's invalid request`, { text: 'HTTP 413, JSON-RPC error -32600 with error.data.code common.validation' }, rpcOutcome(ex, m), ex);
  }
}

export const mcp010: CheckDef = {
  id: 'MCP-010',
  safety: 'read-only',
  needs: ['token'],
  bindings: ['mcp'],
  expectedCodes: ['common.validation'],
  description:
    "From a session of a fresh key (from --safety draft on; at read-only, of the run token): a body that is not JSON is -32700 (HTTP 4xx), a tools/call whose name is a number -32602, resources/read of an unknown draft -32010 with error.message the OpenPort message as is, and a body over the declared cap (bodyLimitBytes) HTTP 413 with -32600 and error.data.code common.validation.",
  async run(ctx) {
    // A key of its own where the run may provision one, so that its refusals count against nobody else's window.
    const token = ctx.provisions ? (await ctx.persona({ name: 'mcp010' })).token : ctx.agent.token!;
    await withSession(await openSession(ctx, token, 'MCP-010 set-up'), async (session) => {
      const cases = everyCase();
      await cases.run(() => parseError(session));
      await cases.run(() => invalidParams(session));
      await cases.run(() => protocolRefusal(ctx, session));
      // Last: the server may close the connection after a 413.
      await cases.run(() => oversized(ctx, session));
      cases.done();
    });
  },
};
