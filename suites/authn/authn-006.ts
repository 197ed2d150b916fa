import { ToolError, type CheckDef } from '../../src/kit/check.js';
import { describe, expectError, expectSuccess } from '../../src/kit/expect.js';
import { agentRoutes, keyFrom, send } from '../env/routes.js';

export const authn006: CheckDef = {
  id: 'AUTHN-006',
  safety: 'draft',
  needs: ['admin'],
  description: 'Revoking an app revokes every key: its first and a second key are then 401 token_invalid on every route, and so is a key issued to it afterwards (if the admin plane issues one).',
  expectedCodes: ['agent.token_invalid'],
  async run(ctx) {
    const p = await ctx.persona({ name: 'authn006' });
    const created = await ctx.admin.createKey(p.appId, { name: 'conform second key' });
    const second = keyFrom(created);
    if (!second) throw new ToolError(`admin plane did not return a second key: ${describe(created)}`);
    const clients = [['first key', p.client], ['second key', ctx.client(second.token)]] as const;
    for (const [label, c] of clients) expectSuccess(await c.manifest(), `positive control: GET manifest with the ${label}`);
    await ctx.admin.revokeApp(p.appId);
    for (const [label, c] of clients) {
      for (const r of agentRoutes(ctx.target)) expectError(await send(c, r), 'agent.token_invalid', `${r.name} with the ${label} of a revoked app`);
    }
    // A key issued after the revocation (a server may refuse to issue it, or issue it): §6 (4) "owning app
    // active → else 401 token_invalid" holds for it too.
    const late = await ctx.admin.createKey(p.appId, { name: 'conform key after revocation' }).then(keyFrom, (e: unknown) => {
      if (e instanceof ToolError) return undefined;
      throw e;
    });
    if (late) {
      for (const r of agentRoutes(ctx.target)) expectError(await send(ctx.client(late.token), r), 'agent.token_invalid', `${r.name} with a key issued after its app was revoked`);
    } else ctx.note('the admin plane issues no key to a revoked app');
  },
};
