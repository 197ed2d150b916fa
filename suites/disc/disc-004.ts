import type { CheckDef } from '../../src/kit/check.js';
import { expectError, fail } from '../../src/kit/expect.js';
import { listDrafts, samplePayloadOf } from '../../src/kit/helpers.js';

const UNKNOWN = 'conform.no_such_tool';

export const disc004: CheckDef = {
  id: 'DISC-004',
  safety: 'read-only',
  needs: ['token'],
  description: `${UNKNOWN} on preflight and actions is 400 agent.action_unknown; with the admin plane (from --safety draft on), a fresh key is shown to have no drafts afterwards.`,
  expectedCodes: ['agent.action_unknown'],
  async run(ctx) {
    const payload = samplePayloadOf(ctx.target, ctx.target.writes.create.payload);
    const persona = ctx.provisions ? await ctx.persona({ name: 'disc004 unknown action' }) : undefined;
    const client = persona?.client ?? ctx.agent;
    expectError(await client.preflight(UNKNOWN, payload), 'agent.action_unknown', `POST preflight ${UNKNOWN}`);
    const act = await client.actions({ action: UNKNOWN, payload });
    expectError(act, 'agent.action_unknown', `POST actions ${UNKNOWN}`);
    if (!persona) {
      ctx.partial('no key of its own (the admin plane, from --safety draft on): whether anything was created was not verified');
      return;
    }
    const drafts = await listDrafts(ctx, persona.appId);
    if (drafts.length) fail(`an unknown action left ${drafts.length} draft(s)`, 'no drafts for the app', drafts.map((d) => `${d.id} ${d.action_type}`).join(', '), act);
  },
};
