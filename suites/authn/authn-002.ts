import type { CheckContext, CheckDef, Exchange } from '../../src/kit/check.js';
import { expectError, expectSuccess, fail } from '../../src/kit/expect.js';
import { initialize, openSession, refusalCode, withSession } from '../../src/kit/mcp-wire.js';
import { redactToken } from '../../src/protocol/redact.js';
import { agentRoutes, maybeAgent, randomB64url, send } from '../env/routes.js';

export const authn002: CheckDef = {
  id: 'AUTHN-002',
  safety: 'read-only',
  needs: [],
  description: 'Malformed Authorization headers (Basic, empty Bearer, garbage, 4 KiB, the real token under a wrong scheme) are 401 token_invalid on every route (over MCP: on initialize, and the real token under a wrong scheme on a call of an open session).',
  expectedCodes: ['agent.token_invalid'],
  async run(ctx) {
    const headers: [string, string][] = [
      ['Basic credentials', `Basic ${Buffer.from('conform:conform').toString('base64')}`],
      ['"Bearer" without a token', 'Bearer'],
      ['"Bearer" followed by spaces', 'Bearer    '],
      ['garbage token with spaces and odd characters', 'Bearer op_ conform !@#$%^&*()[]{};\'"<>'],
      // 4 KiB stays under the 8 KiB header-line limit of common front proxies, which would refuse outside the envelope.
      ['4 KiB token', `Bearer op_${randomB64url(ctx, 4096)}`],
    ];
    const real = maybeAgent(ctx)?.token;
    if (real) {
      // Without this control a server refusing every token would pass the wrong-scheme variants below.
      expectSuccess(await ctx.client(real).manifest(), 'positive control: GET manifest with the real token under "Bearer"');
      headers.push([`the real token (${redactToken(real)}) under scheme "Token"`, `Token ${real}`]);
      headers.push([`the real token (${redactToken(real)}) without a scheme`, real]);
      headers.push([`the real token (${redactToken(real)}) under scheme "Basic"`, `Basic ${real}`]);
    } else {
      ctx.partial('no agent token: the wrong-scheme variants with a real token did not run');
    }
    if (ctx.binding === 'mcp') return malformedOverMcp(ctx, headers, real);
    const anon = ctx.client();
    for (const r of agentRoutes(ctx.target)) {
      for (const [label, value] of headers) {
        expectError(await send(anon, r, { authorization: value }), 'agent.token_invalid', `${r.name} with ${label}`);
      }
    }
  },
};

/** A malformed header must be refused as the HTTP binding refuses it (T2, T3 of docs/mcp-binding.md): HTTP 401 with error.data.code agent.token_invalid. */
function expectUnauthenticated(ex: Exchange, what: string): void {
  if (ex.response.status === 401 && refusalCode(ex) === 'agent.token_invalid') return;
  fail(`${what} was not refused as unauthenticated`, { status: 401, code: 'agent.token_invalid', text: 'HTTP 401 with error.data.code agent.token_invalid (T3)' }, `HTTP ${ex.response.status} ${refusalCode(ex) ?? JSON.stringify(ex.response.text.slice(0, 80))}`, ex);
}

/**
 * Over MCP every request to the endpoint is authenticated by its Authorization header: each malformed value
 * is refused on `initialize` (no session opens), and on a call of a session the real token opened, the real
 * token under a wrong scheme is refused too (a server that checks only at the session's open fails there).
 */
async function malformedOverMcp(ctx: CheckContext, headers: [string, string][], real: string | undefined): Promise<void> {
  for (const [label, value] of headers) {
    const { ex } = await initialize(ctx, undefined, { headers: { authorization: value } });
    expectUnauthenticated(ex, `MCP initialize with ${label}`);
  }
  if (!real) return;
  await withSession(await openSession(ctx, real, 'AUTHN-002 positive control'), async (session) => {
    for (const scheme of ['Token ', '', 'Basic ']) {
      const { ex } = await session.request('tools/list', {}, { headers: { authorization: `${scheme}${real}` } });
      expectUnauthenticated(ex, `MCP tools/list on an open session with the real token (${redactToken(real)}) ${scheme ? `under scheme "${scheme.trim()}"` : 'without a scheme'}`);
    }
  });
}
