import type { CheckDef, Exchange, Persona } from '../../src/kit/check.js';
import { describe, expectSuccess, fail } from '../../src/kit/expect.js';
import { listDrafts } from '../../src/kit/helpers.js';
import { validateAgainst } from '../../src/protocol/index.js';
import { agentDraft, expectIntact, expectMarkedCount, marker, payloadFor, readResource, rejectPending, requestCreate } from '../lib-write.js';

/** The answer must be HTTP 200 with a schema-valid pending draft, which the agent then polls as pending; returns its id. */
async function expectPending(p: Persona, ex: Exchange, what: string): Promise<string> {
  const data = expectSuccess<any>(ex, what);
  if (data?.status !== 'draft') fail(`${what}: a write without auto-execution did not stay a draft`, 'data.status "draft"', describe(ex), ex);
  const problems = validateAgainst('draft', data.draft);
  if (problems.length) fail(`${what}: the returned draft does not match the draft schema`, 'a draft object', problems.join('; '), ex);
  if (data.draft.status !== 'draft') fail(`${what}: the returned draft is not pending`, 'draft.status "draft"', `draft.status ${JSON.stringify(data.draft.status)}`, ex);
  const seen = await agentDraft(p, data.draft.id, what);
  if (seen.draft.status !== 'draft' || seen.execution !== null) {
    fail(`${what}: GET /drafts/{id} does not show a pending draft without execution`, 'status draft, execution null', `status ${seen.draft.status}, execution ${JSON.stringify(seen.execution)?.slice(0, 120)}`);
  }
  return data.draft.id;
}

export const write001: CheckDef = {
  id: 'WRITE-001',
  safety: 'draft',
  needs: ['admin'],
  description:
    'A create without execute answers HTTP 200 with a pending draft (schema-valid, no execution), the admin queue lists it, and nothing is created; ' +
    'an update and the high-risk write of the existing resource stay pending drafts too and leave it untouched.',
  async run(ctx) {
    const { drift, highRisk } = ctx.target.writes;
    const p = await ctx.persona({ name: 'write-draft' });
    try {
      const mark = marker(ctx);
      const id = await expectPending(p, await requestCreate(ctx, p, mark), 'POST /actions of a create without execute');
      const pending = await listDrafts(ctx, p.appId, 'draft');
      if (!pending.some((d) => d.id === id)) fail('the admin review queue does not list the pending draft', `GET /drafts?appId&status=draft lists ${id}`, `${pending.length} pending draft(s), not ${id}`);
      await expectMarkedCount(ctx, p, mark, 0, 'a pending draft changed the domain');

      // Draft-first holds for every write, not only creates. The existing resource is the target (these
      // drafts are rejected below); the update writes a fresh value so an execution would show.
      const r = ctx.target.existingResourceId;
      if (!(await readResource(ctx, p, r))) {
        ctx.partial(`the existing resource ${r} is not visible through target.readBack, so update and high-risk drafts were not tried`);
        return;
      }
      const value = marker(ctx);
      await expectPending(p, await p.client.actions({ action: drift.action, payload: payloadFor(drift, r, value) }), `POST /actions of ${drift.action} without execute`);
      await expectPending(p, await p.client.actions({ action: highRisk.action, payload: payloadFor(highRisk, r) }), `POST /actions of ${highRisk.action} without execute`);
      await expectIntact(ctx, p, r, `a pending ${highRisk.action} draft took effect`);
      const after = await readResource(ctx, p, r);
      if (JSON.stringify(after).includes(value)) fail(`a pending ${drift.action} draft took effect`, `resource ${r} without "${value}"`, JSON.stringify(after).slice(0, 300));
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
