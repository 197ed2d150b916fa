import type { CheckDef } from '../../src/kit/check.js';
import { expectError, expectSuccess } from '../../src/kit/expect.js';
import { agentRoutes, maybeAgent, randomB64url, send, tamperTail } from '../env/routes.js';

export const authn003: CheckDef = {
  id: 'AUTHN-003',
  safety: 'read-only',
  needs: [],
  description: 'A well-formed unknown token, and the real token with its tail changed, cut short or extended, are 401 token_invalid on every route.',
  expectedCodes: ['agent.token_invalid'],
  async run(ctx) {
    const tokens: [string, string][] = [['an unknown op_ token', `op_${randomB64url(ctx, 43)}`]];
    const real = maybeAgent(ctx)?.token;
    if (real) {
      // Without this control a server refusing every token would pass the near misses below.
      expectSuccess(await ctx.client(real).manifest(), 'positive control: GET manifest with the real token');
      // Near misses of the real token: a server matching only the stored prefix, or comparing with
      // startsWith in either direction, accepts one of them.
      tokens.push(
        ['the real token with its last 4 characters changed', tamperTail(real)],
        ['the real token without its last character', real.slice(0, -1)],
        ['the real token with one character appended', `${real}${randomB64url(ctx, 1)}`],
      );
    } else {
      ctx.partial('no agent token: the near-miss variants of a real token did not run');
    }
    for (const [label, token] of tokens) {
      const client = ctx.client(token);
      for (const r of agentRoutes(ctx.target)) expectError(await send(client, r), 'agent.token_invalid', `${r.name} with ${label}`);
    }
  },
};
