import type { CheckDef } from '../../src/engine/check.js';
import { expectError } from '../../src/engine/expect.js';
import { redactToken } from '../../src/protocol/redact.js';
import { agentRoutes, maybeAgent, randomB64url, send } from '../env/routes.js';

export const authn002: CheckDef = {
  id: 'AUTHN-002',
  safety: 'read-only',
  needs: [],
  description: 'Malformed Authorization headers (Basic, empty Bearer, garbage, 8 KiB, the real token under a wrong scheme) are 401 token_invalid on every route.',
  expectedCodes: ['agent.token_invalid'],
  async run(ctx) {
    const headers: [string, string][] = [
      ['Basic credentials', `Basic ${Buffer.from('conform:conform').toString('base64')}`],
      ['"Bearer" without a token', 'Bearer'],
      ['"Bearer" followed by spaces', 'Bearer    '],
      ['garbage token with spaces and odd characters', 'Bearer op_ conform !@#$%^&*()[]{};\'"<>'],
      ['8 KiB token', `Bearer op_${randomB64url(ctx, 8192)}`],
    ];
    const real = maybeAgent(ctx)?.token;
    if (real) {
      headers.push([`the real token (${redactToken(real)}) under scheme "Token"`, `Token ${real}`]);
      headers.push([`the real token (${redactToken(real)}) without a scheme`, real]);
    } else {
      ctx.note('no agent token: the wrong-scheme variants with a real token did not run');
    }
    const anon = ctx.client();
    for (const r of agentRoutes(ctx.target)) {
      for (const [label, value] of headers) {
        expectError(await send(anon, r, { authorization: value }), 'agent.token_invalid', `${r.name} with ${label}`);
      }
    }
  },
};
