import type { CheckDef } from '../../src/engine/check.js';
import { expectError } from '../../src/engine/expect.js';
import { agentRoutes, maybeAgent, randomB64url, send, tamperTail } from '../env/routes.js';

export const authn003: CheckDef = {
  id: 'AUTHN-003',
  safety: 'read-only',
  needs: [],
  description: 'A well-formed unknown token, and the real token with its last characters changed, are 401 token_invalid on every route.',
  expectedCodes: ['agent.token_invalid'],
  async run(ctx) {
    const tokens: [string, string][] = [['an unknown op_ token', `op_${randomB64url(ctx, 43)}`]];
    const real = maybeAgent(ctx)?.token;
    // A server that matches only the stored prefix would accept this one.
    if (real) tokens.push(['the real token with its last 4 characters changed', tamperTail(real)]);
    else ctx.note('no agent token: the tampered-token variant did not run');
    for (const [label, token] of tokens) {
      const client = ctx.client(token);
      for (const r of agentRoutes(ctx.target)) expectError(await send(client, r), 'agent.token_invalid', `${r.name} with ${label}`);
    }
  },
};
