import type { CheckDef } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { describe, expectError, expectSuccess, fail } from '../../src/kit/expect.js';
import { rejectPending } from '../../src/kit/helpers.js';
import { agentRoutes, send } from '../env/routes.js';
import { createPayload, marker } from '../lib-write.js';

export const authn004: CheckDef = {
  id: 'AUTHN-004',
  safety: 'draft',
  needs: ['admin'],
  description: 'After its key is revoked, the very next request on each agent route, and the poll of a draft the key made, is 401 token_invalid (no cached authentication, no cached answer).',
  expectedCodes: ['agent.token_invalid'],
  async run(ctx) {
    const p = await ctx.persona({ name: 'authn004' });
    const routes = agentRoutes(ctx.target);
    try {
      expectSuccess(await p.client.manifest(), 'positive control: GET manifest before revocation');
      // Touch every route first so a server caching authentication per route has something to cache.
      for (const r of routes) {
        const ex = await send(p.client, r);
        if (ex.response.status === 401) fail(`${r.name} before revocation: the live key was refused`, 'the live key authenticates', describe(ex), ex);
      }
      // A draft of its own, polled while the key lives: a server (or a cache in front of it) keeping that answer
      // would still show it to the revoked key.
      const { action } = ctx.target.writes.create;
      const id = dataOf(await p.client.actions({ action, payload: createPayload(ctx, marker(ctx)) }))?.draft?.id;
      const own = typeof id === 'string' ? await p.client.draft(id) : undefined;
      if (own?.response.status !== 200) ctx.partial(`no draft of its own was polled before revocation (${own ? describe(own) : `${action} drafted nothing`}); its poll after revocation was not tried`);
      await ctx.admin.revokeKey(p.keyId);
      for (const r of routes) expectError(await send(p.client, r), 'agent.token_invalid', `${r.name} right after the key was revoked`);
      if (own?.response.status === 200) expectError(await p.client.draft(id), 'agent.token_invalid', 'GET drafts/{id} of its own draft right after the key was revoked');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
