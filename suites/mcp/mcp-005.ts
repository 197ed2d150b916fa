import type { CheckDef } from '../../src/kit/check.js';
import { fail } from '../../src/kit/expect.js';
import { openSession, withSession } from '../../src/kit/mcp-wire.js';

/** Issues a refusal's text must list at least (a server may stop after as many: the text is for a model to read). */
const LISTED_ISSUES = 20;

export const mcp005: CheckDef = {
  id: 'MCP-005',
  safety: 'draft',
  needs: ['token'],
  bindings: ['mcp'],
  description: 'tools/call of a write tool with an invalid payload is answered by a result with isError true, _meta["openport/code"] the reason code and content text starting with it, then a line per validation issue — not by a JSON-RPC error; so are the refusals of a read of a container that does not exist and of a write naming a preflightId never issued.',
  expectedCodes: ['common.validation'],
  async run(ctx) {
    const tool = ctx.target.writes.create.action;
    await withSession(await openSession(ctx, ctx.agent.token!, 'MCP-005 set-up'), async (session) => {
      const { ex, message } = await session.request('tools/call', { name: tool, arguments: { payload: 'not an object' } });
      if (message?.error) {
        fail(`${tool} with an invalid payload: the refusal is a JSON-RPC error (${String(message.error.code)}), which hosts hand the model as a transport failure`, 'a result with isError true carrying the reason code', JSON.stringify(message.error).slice(0, 300), ex, '/error');
      }
      const r = message?.result as { isError?: unknown; _meta?: Record<string, unknown>; content?: { type?: unknown; text?: unknown }[]; structuredContent?: unknown } | undefined;
      if (r?.isError !== true) fail(`${tool} with an invalid payload was not refused as an isError result`, 'isError true', ex.response.text.slice(0, 300), ex);
      const code = r._meta?.['openport/code'];
      if (typeof code !== 'string') fail(`${tool}: the isError result carries no _meta["openport/code"]`, 'the reason code in _meta["openport/code"]', JSON.stringify(r._meta ?? null), ex);
      const text = r.content?.find((c) => c.type === 'text')?.text;
      if (typeof text !== 'string' || !text.startsWith(`${code}:`)) fail(`${tool}: the refusal's text does not start with its reason code`, `"${code}: …"`, JSON.stringify(text ?? null).slice(0, 200), ex);
      // The model reads the text, not structuredContent: each validation issue must be there, one line each.
      const issues = (r.structuredContent as { details?: { issues?: { message?: unknown }[] } } | undefined)?.details?.issues;
      if (!Array.isArray(issues) || issues.length === 0) ctx.partial('the refusal carried no validation issues in structuredContent, so their lines in its text were not judged');
      const missing = (Array.isArray(issues) ? issues : []).slice(0, LISTED_ISSUES).filter((i) => typeof i.message === 'string' && !text.split('\n').slice(1).some((line) => line.includes(i.message as string)));
      if (missing.length > 0) {
        fail(`${tool}: the refusal's text leaves out ${missing.length} of its ${(issues as unknown[]).length} validation issue(s), which the model only sees in structuredContent`, 'after the first line, one line per validation issue with its path and message', JSON.stringify(text).slice(0, 200), ex);
      }
      // E1 holds for every tool-level refusal, not validation alone: a missing resource, an unknown preflightId.
      const { contentsTool, queryParam, primary } = ctx.target.containers;
      for (const [what, name, args] of [
        [`${contentsTool} of a container that does not exist`, contentsTool, { [queryParam]: `${primary}-conform-missing` }],
        [`${tool} naming a preflightId never issued`, tool, { preflightId: 'pfl_conform_never_issued' }],
      ] as const) {
        const other = await session.request('tools/call', { name, arguments: args });
        const e = other.message?.error;
        if (e) fail(`${what}: the refusal is a JSON-RPC error (${String(e.code)}), not an isError result`, 'a result with isError true carrying the reason code (E1)', JSON.stringify(e).slice(0, 300), other.ex, '/error');
        const res = other.message?.result as { isError?: unknown; _meta?: Record<string, unknown> } | undefined;
        // A call the server admits is not this check's to judge (the checks of that rule are).
        if (res?.isError === true && typeof res._meta?.['openport/code'] !== 'string') fail(`${what}: the isError result carries no _meta["openport/code"]`, 'the reason code in _meta["openport/code"]', JSON.stringify(res._meta ?? null), other.ex);
      }
    });
  },
};
