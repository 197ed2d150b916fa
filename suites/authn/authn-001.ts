import type { CheckDef } from '../../src/kit/check.js';
import { expectError } from '../../src/kit/expect.js';
import { agentRoutes, send } from '../env/routes.js';

export const authn001: CheckDef = {
  id: 'AUTHN-001',
  safety: 'read-only',
  needs: [],
  description: 'Every agent route without an Authorization header is 401 agent.token_invalid.',
  expectedCodes: ['agent.token_invalid'],
  async run(ctx) {
    const anon = ctx.client();
    for (const r of agentRoutes(ctx.target)) expectError(await send(anon, r), 'agent.token_invalid', `${r.name} without Authorization`);
  },
};
