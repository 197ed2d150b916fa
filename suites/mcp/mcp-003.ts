import type { CheckDef } from '../../src/kit/check.js';
import { fail } from '../../src/kit/expect.js';
import { openSession, withSession } from '../../src/kit/mcp-wire.js';

export const mcp003: CheckDef = {
  id: 'MCP-003',
  safety: 'draft',
  needs: ['admin'],
  bindings: ['mcp'],
  description: "A session opened by one key's token, used with another valid key's token (tools/list), is refused (HTTP 403 agent.forbidden in the reference runtime; any refusal passes).",
  expectedCodes: ['agent.forbidden'],
  async run(ctx) {
    const owner = await ctx.persona({ name: 'mcp003 owner' });
    const other = await ctx.persona({ name: 'mcp003 other' });
    await withSession(await openSession(ctx, owner.token, 'MCP-003 set-up'), async (session) => {
      const own = await session.request('tools/list', {});
      if (own.message?.result === undefined) throw new Error(`MCP-003 set-up: tools/list with the session's own token answered HTTP ${own.ex.response.status}`);
      const borrowed = await session.request('tools/list', {}, { token: other.token });
      if (borrowed.ex.response.status < 400 || borrowed.message?.result !== undefined) {
        fail("a session answered a request made with another key's token", { status: 403, code: 'agent.forbidden', text: 'the session refuses any token but the one that opened it' }, `HTTP ${borrowed.ex.response.status}${borrowed.message?.result !== undefined ? ' with a result' : ''}`, borrowed.ex);
      }
    });
  },
};
