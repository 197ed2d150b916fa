import type { CheckDef } from '../../src/kit/check.js';
import { expectError } from '../../src/kit/expect.js';
import { unlessRefused } from '../env/battery.js';
import { agentRoutes, send } from '../env/routes.js';

export const authn008: CheckDef = {
  id: 'AUTHN-008',
  safety: 'draft',
  needs: ['admin'],
  description:
    'A key of an app with no actor (a personal app created without a user, which the admin plane echoes with user_id null) is refused with 403 agent.forbidden on every agent route. ' +
    'A server that refuses to create such an app, or gives it a user of its own, has no such app to judge (partial pass).',
  expectedCodes: ['agent.forbidden'],
  async run(ctx) {
    const p = await unlessRefused(() => ctx.persona({ name: 'authn008 no actor', actor: 'personal-no-user' }));
    if (!p) return void ctx.partial('the admin plane refused to create a personal app without a user: no app without an actor exists to judge');
    // The actor of a personal app is its user (§2); only an echoed user_id of null says that the app has none.
    const userId = (p.raw as { app?: { user_id?: unknown } } | undefined)?.app?.user_id;
    if (userId !== null) {
      return void ctx.partial(userId === undefined ? 'POST /apps echoed no app.user_id: whether the app has an actor is unknown' : `the server gave the personal app a user of its own (${String(userId)})`);
    }
    for (const r of agentRoutes(ctx.target)) expectError(await send(p.client, r), 'agent.forbidden', `${r.name} with a key of an app without an actor`);
  },
};
