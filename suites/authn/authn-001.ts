import type { CheckDef } from '../../src/kit/check.js';
import { expectError, fail } from '../../src/kit/expect.js';
import { refusalCode, wireHeaders, wireOf } from '../../src/kit/mcp-wire.js';
import { agentRoutes, send } from '../env/routes.js';

export const authn001: CheckDef = {
  id: 'AUTHN-001',
  safety: 'read-only',
  needs: [],
  description: 'Every agent route without an Authorization header is 401 agent.token_invalid, over HTTP also a POST route whose body ([]) no handler accepts, over MCP also a POST to the endpoint whose body is not JSON.',
  expectedCodes: ['agent.token_invalid'],
  async run(ctx) {
    const anon = ctx.client();
    for (const r of agentRoutes(ctx.target)) expectError(await send(anon, r), 'agent.token_invalid', `${r.name} without Authorization`);
    // "Before any handler" (§6): a body no handler would accept ([] is JSON, not a request object) must not be
    // judged before the missing token is. Over MCP the endpoint's body is JSON-RPC: one that is not even JSON
    // must still be refused as unauthenticated (T3 of the binding: refused before any session exists).
    if (ctx.binding === 'mcp') {
      const ex = await wireOf(ctx)({ method: 'POST', headers: wireHeaders(undefined), body: '{"jsonrpc":"2.0","id":1,"method":' });
      if (ex.response.status !== 401 || refusalCode(ex) !== 'agent.token_invalid') {
        fail('POST /mcp without Authorization and with a body that is not JSON was judged before the missing token', { status: 401, code: 'agent.token_invalid', text: 'HTTP 401 with error.data.code agent.token_invalid (T3)' }, `HTTP ${ex.response.status} ${refusalCode(ex) ?? JSON.stringify(ex.response.text.slice(0, 80))}`, ex);
      }
      return;
    }
    for (const r of agentRoutes(ctx.target).filter((x) => x.spec.method === 'POST')) {
      const ex = await anon.request({ method: 'POST', path: r.spec.path, headers: { 'content-type': 'application/json' }, rawBody: '[]' });
      expectError(ex, 'agent.token_invalid', `${r.name} without Authorization and with the body []`);
    }
  },
};
