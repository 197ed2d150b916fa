import { Skip, type CheckDef } from '../../src/kit/check.js';
import { fail } from '../../src/kit/expect.js';
import { openSession, withSession, type RpcMessage } from '../../src/kit/mcp-wire.js';
import { payloadFor } from '../lib-write.js';

/** The reason code a tools/call answer carries, as a result (`_meta["openport/code"]`) or a JSON-RPC error (`error.data.code`). */
function codeOf(m: RpcMessage | undefined): { refused: boolean; code?: string } {
  if (m?.error) return { refused: true, code: typeof m.error.data?.code === 'string' ? m.error.data.code : undefined };
  const r = m?.result as { isError?: unknown; _meta?: Record<string, unknown> } | undefined;
  const code = r?._meta?.['openport/code'];
  return { refused: r?.isError === true, code: typeof code === 'string' ? code : undefined };
}

export const mcp002: CheckDef = {
  id: 'MCP-002',
  safety: 'draft',
  needs: ['admin'],
  bindings: ['mcp'],
  description: 'tools/call of a write tool whose arguments.action names another write tool is refused with agent.action_invalid (no draft of either); a tool name the server does not have is refused with agent.action_unknown.',
  expectedCodes: ['agent.action_invalid', 'agent.action_unknown'],
  async run(ctx) {
    const { create, highRisk } = ctx.target.writes;
    if (create.action === highRisk.action) throw new Skip('target.writes names one write tool only', '--target <file> with two write tools');
    const p = await ctx.persona({ name: 'mcp002' });
    await withSession(await openSession(ctx, p.token, 'MCP-002 set-up'), async (session) => {
      const other = await session.request('tools/call', { name: create.action, arguments: { payload: payloadFor(create, ctx.target.existingResourceId), action: highRisk.action } });
      const got = codeOf(other.message);
      if (!got.refused || got.code !== 'agent.action_invalid') {
        fail(`${create.action} called with arguments.action ${highRisk.action}: ${got.refused ? `refused with ${got.code ?? 'no reason code'}` : 'accepted'}; the tool name is the action`,
          { code: 'agent.action_invalid', text: 'an isError result agent.action_invalid' }, other.ex.response.text.slice(0, 300), other.ex);
      }
      const name = `openport_conform_no_such_tool_${Math.floor(ctx.random() * 1e9)}`;
      const unknown = await session.request('tools/call', { name, arguments: { payload: payloadFor(create, ctx.target.existingResourceId) } });
      const u = codeOf(unknown.message);
      if (!u.refused || u.code !== 'agent.action_unknown') {
        fail(`a tool the server does not have (${name}): ${u.refused ? `refused with ${u.code ?? 'no reason code'}` : 'accepted'}`, { code: 'agent.action_unknown', text: 'refused with agent.action_unknown' }, unknown.ex.response.text.slice(0, 300), unknown.ex);
      }
      // As a JSON-RPC error it is MCP's unknown-tool error (R2, E2: -32602); an isError result is the other form E1 allows.
      const rpcCode = unknown.message?.error?.code;
      if (unknown.message?.error && rpcCode !== -32602) {
        fail(`a tool the server does not have (${name}): JSON-RPC error ${String(rpcCode)}, not MCP's unknown-tool error`, { code: 'agent.action_unknown', text: 'JSON-RPC -32602 with error.data.code agent.action_unknown (or an isError result)' }, unknown.ex.response.text.slice(0, 300), unknown.ex);
      }
    });
  },
};
