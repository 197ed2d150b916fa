import { Skip, type CheckContext, type CheckDef, type Exchange } from '../../src/kit/check.js';
import { achievedText, burst } from '../../src/kit/burst.js';
import { fail } from '../../src/kit/expect.js';
import { openSession, refusalCode, rpcMessage, withSession, wireHeaders, MCP_PROTOCOL_VERSION, type RpcMessage, type WireSession } from '../../src/kit/mcp-wire.js';

/** The messages that reach no tool, each judged from a fresh key of its own: a notification, and a request (ping). */
const KINDS = [
  { what: 'notifications', body: () => ({ jsonrpc: '2.0', method: 'notifications/roots/list_changed' }) },
  { what: 'pings', body: (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' }) },
] as const;

/** The reason code a refusal of an MCP message carries: the JSON-RPC error's (a refused HTTP request), or an isError result's. */
function codeOf(ex: Exchange, message: RpcMessage | undefined): string | undefined {
  const meta = (message?.result?._meta as Record<string, unknown> | undefined)?.['openport/code'];
  if (message?.result?.isError === true && typeof meta === 'string') return meta;
  const data = message?.error?.data?.code;
  return typeof data === 'string' ? data : refusalCode(ex);
}

const rateLimited = (ex: Exchange, message: RpcMessage | undefined) => ex.response.status === 429 || codeOf(ex, message) === 'agent.rate_limited';

/** A read of the target as a tool call: the cheapest one (no arguments) where there is one. */
function readCall(ctx: CheckContext): { name: string; arguments: Record<string, unknown> } {
  const read = ctx.target.reads.find((r) => Object.keys(r.query ?? {}).length === 0) ?? ctx.target.reads[0]!;
  return { name: read.tool, arguments: { ...(read.query ?? {}) } };
}

/**
 * From a fresh key, messages of one kind on its session until the first refusal (the burst kit: paced,
 * measured against the declared window), which must be agent.rate_limited; then a tool call of the same key,
 * which must be refused too (one counter per key). A call admitted there is judged only when the message sent
 * right after it is refused again: otherwise the window may have rolled over in between.
 */
async function judge(ctx: CheckContext, session: WireSession, kind: (typeof KINDS)[number]): Promise<void> {
  const { limit, windowMs } = ctx.target.rateLimit;
  let id = 1_000;
  const send = async (): Promise<Exchange> => {
    const body = kind.body(id++);
    return (await ctx.mcpWire!({ method: 'POST', headers: wireHeaders(session.token, { 'mcp-session-id': session.id, 'mcp-protocol-version': MCP_PROTOCOL_VERSION }), body: JSON.stringify(body) }));
  };
  const messageOf = (ex: Exchange) => rpcMessage(ex, (JSON.parse(ex.request.body ?? '{}') as { id?: unknown }).id ?? null);
  const o = await burst(ctx, send, { limited: (ex) => rateLimited(ex, messageOf(ex)) });
  const what = `${achievedText(o, windowMs)}, each one of ${kind.what}`;
  if (!o.limited) {
    if (ctx.target.fixed?.rateLimit === false) {
      throw new Skip(`no refusal after ${what}, and the limit ${limit} per ${windowMs} ms is the description's guess, not the server's`, "declare the server's limit: a target file with `extends: demo` and rateLimit");
    }
    if (o.achieved < o.needed) throw new Skip(`no refusal, but the burst never reached a rate the limit must refuse: ${what}`, 'run closer to the server (lower latency) or on a less loaded machine');
    return fail(`MCP ${kind.what} are not counted by the rate limit: ${o.achieved} reached the server inside one ${windowMs} ms window (declared limit ${limit}) and none was refused`, { code: 'agent.rate_limited', text: `agent.rate_limited past ${limit} messages per ${windowMs} ms: every message counts` }, what, o.last);
  }
  const code = codeOf(o.limited, messageOf(o.limited));
  if (code !== 'agent.rate_limited') {
    fail(`MCP ${kind.what} past the rate limit were refused without agent.rate_limited`, { code: 'agent.rate_limited', text: 'agent.rate_limited as an MCP refusal' }, `HTTP ${o.limited.response.status} ${code ?? '(no reason code)'}`, o.limited);
  }
  ctx.note(`${kind.what}: first refusal after ${what}`);
  const call = readCall(ctx);
  const after = await session.request('tools/call', call);
  if (rateLimited(after.ex, after.message)) return;
  const again = await send();
  if (!rateLimited(again, messageOf(again))) {
    ctx.partial(`the tool call after the ${kind.what} were refused was admitted, and so was the next message: the rate-limit window rolled over in between, so the shared counter was not judged`);
    return;
  }
  fail(`MCP tools/call ${call.name} was admitted between two refused ${kind.what} of the same key: the messages are counted apart from the calls`, { code: 'agent.rate_limited', text: 'agent.rate_limited as an MCP refusal: one counter per key for every message' }, `admitted (HTTP ${after.ex.response.status}${after.message?.result?.isError === true ? ', an isError result without agent.rate_limited' : ''})`, after.ex);
}

export const mcp009: CheckDef = {
  id: 'MCP-009',
  safety: 'load',
  needs: ['admin'],
  bindings: ['mcp'],
  expects429: true,
  description:
    'From a fresh key, notifications on its session until the first refusal, then from another fresh key pings: each kind is refused agent.rate_limited past the declared limit, and so is a tool call right after (every message counts, on one counter).',
  expectedCodes: ['agent.rate_limited'],
  async run(ctx) {
    for (const kind of KINDS) {
      const p = await ctx.persona({ name: `mcp009 ${kind.what}` });
      await withSession(await openSession(ctx, p.token, 'MCP-009 set-up'), (session) => judge(ctx, session, kind));
    }
  },
};
