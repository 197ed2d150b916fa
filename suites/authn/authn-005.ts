import { ToolError, type CheckDef, type Exchange } from '../../src/kit/check.js';
import { describe, expectError, expectSuccess } from '../../src/kit/expect.js';
import { agentRoutes, keyFrom, send } from '../env/routes.js';

/** Create a key, or say why the server refused it (a server may refuse an expiry in the past). */
async function tryKey(create: () => Promise<Exchange>): Promise<{ keyId: string; token: string } | { refused: string }> {
  try {
    const ex = await create();
    return keyFrom(ex) ?? { refused: describe(ex) };
  } catch (e) {
    if (e instanceof ToolError) return { refused: e.message };
    throw e;
  }
}

export const authn005: CheckDef = {
  id: 'AUTHN-005',
  safety: 'draft',
  needs: ['admin'],
  description: 'A key past its expiresAt is 401 agent.token_expired on every route; a key with a future expiry works.',
  expectedCodes: ['agent.token_expired'],
  async run(ctx) {
    const p = await ctx.persona({ name: 'authn005' });
    const future = await tryKey(() => ctx.admin.createKey(p.appId, { name: 'conform future expiry', expiresAt: new Date(ctx.now() + 3600_000).toISOString() }));
    if ('refused' in future) throw new ToolError(`admin plane refused a key expiring in one hour: ${future.refused}`);
    expectSuccess(await ctx.client(future.token).manifest(), 'positive control: a key expiring in one hour');

    let expired = await tryKey(() => ctx.admin.createKey(p.appId, { name: 'conform expired', expiresAt: new Date(ctx.now() - 3600_000).toISOString() }));
    if ('refused' in expired) {
      ctx.note(`a past expiresAt was refused at creation (${expired.refused}); used a key expiring in 1.5 s`);
      const expiresAt = ctx.now() + 1500;
      expired = await tryKey(() => ctx.admin.createKey(p.appId, { name: 'conform short expiry', expiresAt: new Date(expiresAt).toISOString() }));
      if ('refused' in expired) throw new ToolError(`admin plane refused a key expiring in 1.5 s: ${expired.refused}`);
      expectSuccess(await ctx.client(expired.token).manifest(), 'the short-lived key before its expiry');
      await ctx.sleep(Math.max(0, expiresAt - ctx.now()) + 300);
    }
    const client = ctx.client(expired.token);
    for (const r of agentRoutes(ctx.target)) expectError(await send(client, r), 'agent.token_expired', `${r.name} with an expired key`);
  },
};
