import type { CheckDef } from '../../src/kit/check.js';
import { expectSuccess, everyCase, fail } from '../../src/kit/expect.js';
import { mustBeDestructive } from '../../src/protocol/mcp-binding.js';

interface Listed { name: string; kind?: unknown; risk?: unknown; annotations?: { readOnlyHint?: unknown; destructiveHint?: unknown } }

export const mcp001: CheckDef = {
  id: 'MCP-001',
  safety: 'read-only',
  needs: ['token'],
  bindings: ['mcp'],
  description: "tools/list: every tool sets readOnlyHint and destructiveHint explicitly, from its kind and risk — a read read-only and not destructive, a write never read-only, a high-risk write or a delete destructive.",
  async run(ctx) {
    const ex = await ctx.agent.manifest();
    const tools = (expectSuccess(ex, 'tools/list') as { tools?: Listed[] }).tools ?? [];
    const cases = everyCase();
    for (const [i, t] of tools.entries()) {
      await cases.run(() => {
        const a = t.annotations;
        const at = `/data/tools/${i}/annotations`;
        const write = t.kind === 'action';
        if (typeof a?.readOnlyHint !== 'boolean' || typeof a.destructiveHint !== 'boolean') {
          fail(`${t.name}: readOnlyHint and destructiveHint are not both set (MCP defaults an absent destructiveHint to true and readOnlyHint to false)`, 'explicit readOnlyHint and destructiveHint', `${t.name}: ${a === undefined || a === null ? 'no annotations' : `annotations ${JSON.stringify(a)}`}`, ex, at);
        }
        if (a.readOnlyHint !== !write) fail(`${t.name}: a ${write ? 'write' : 'read'} annotated readOnlyHint ${String(a.readOnlyHint)}`, `readOnlyHint ${String(!write)}`, `readOnlyHint ${String(a.readOnlyHint)}`, ex, `${at}/readOnlyHint`);
        const destructive = mustBeDestructive(write, String(t.risk), t.name);
        if (a.destructiveHint !== destructive) {
          const why = !write ? 'a read' : destructive ? `a ${String(t.risk)}-risk write${t.risk === 'high' ? '' : ' that deletes'}` : `a ${String(t.risk)}-risk write that does not delete`;
          fail(`${t.name}: ${why} annotated destructiveHint ${String(a.destructiveHint)}`, `destructiveHint ${String(destructive)}`, `destructiveHint ${String(a.destructiveHint)}`, ex, `${at}/destructiveHint`);
        }
      });
    }
    cases.done();
    ctx.note(`${tools.length} tool(s) annotated from kind and risk`);
  },
};
