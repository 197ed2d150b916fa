import type { CheckDef } from '../../src/kit/check.js';
import { expectError, expectSuccess } from '../../src/kit/expect.js';
import { redactToken } from '../../src/protocol/redact.js';
import { agentRoutes, maybeAgent, randomB64url, send } from '../env/routes.js';

export const authn002: CheckDef = {
  id: 'AUTHN-002',
  safety: 'read-only',
  needs: [],
  bindings: ['http'],
  description: 'Malformed Authorization headers (Basic, empty Bearer, garbage, 4 KiB, the real token under a wrong scheme) are 401 token_invalid on every route.',
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
    const anon = ctx.client();
    for (const r of agentRoutes(ctx.target)) {
      for (const [label, value] of headers) {
        expectError(await send(anon, r, { authorization: value }), 'agent.token_invalid', `${r.name} with ${label}`);
      }
    }
  },
};
