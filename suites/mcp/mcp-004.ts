import type { CheckDef } from '../../src/kit/check.js';
import { expectBearerChallenge, fail } from '../../src/kit/expect.js';
import { initialize } from '../../src/kit/mcp-wire.js';

export const mcp004: CheckDef = {
  id: 'MCP-004',
  safety: 'read-only',
  needs: ['token'],
  bindings: ['mcp'],
  description: 'initialize with the valid token only in ?access_token= (no Authorization header) is refused as unauthenticated (HTTP 401, with WWW-Authenticate: Bearer).',
  expectedCodes: ['agent.token_invalid'],
  async run(ctx) {
    const token = ctx.agent.token!;
    const { ex, session } = await initialize(ctx, undefined, { query: `?access_token=${encodeURIComponent(token)}` });
    if (ex.response.status < 400 || session) {
      fail('a token in the query string opened an MCP session', { status: 401, code: 'agent.token_invalid', text: 'refused as unauthenticated' }, `HTTP ${ex.response.status}`, ex);
    }
    expectBearerChallenge(ex, 'initialize with the token only in the query string', ex.response);
  },
};
