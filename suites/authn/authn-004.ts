import type { CheckDef } from '../../src/kit/check.js';
import { describe, expectError, expectSuccess, fail } from '../../src/kit/expect.js';
import { agentRoutes, send } from '../env/routes.js';

export const authn004: CheckDef = {
  id: 'AUTHN-004',
  safety: 'draft',
  needs: ['admin'],
  description: 'After its key is revoked, the very next request on each agent route is 401 token_invalid (no cached authentication).',
  expectedCodes: ['agent.token_invalid'],
  async run(ctx) {
    const p = await ctx.persona({ name: 'authn004' });
    const routes = agentRoutes(ctx.target);
    expectSuccess(await p.client.manifest(), 'positive control: GET manifest before revocation');
    // Touch every route first so a server caching authentication per route has something to cache.
    for (const r of routes) {
      const ex = await send(p.client, r);
      if (ex.response.status === 401) fail(`${r.name} before revocation: the live key was refused`, 'the live key authenticates', describe(ex), ex);
    }
    await ctx.admin.revokeKey(p.keyId);
    for (const r of routes) expectError(await send(p.client, r), 'agent.token_invalid', `${r.name} right after the key was revoked`);
  },
};
