import type { CheckDef } from '../../src/engine/check.js';
import { describe, expectSuccess, fail } from '../../src/engine/expect.js';
import { listDrafts } from '../../src/engine/helpers.js';
import { validateAgainst } from '../../src/protocol/index.js';
import { agentDraft, expectMarkedCount, marker, rejectPending, requestCreate } from '../lib-write.js';

export const write001: CheckDef = {
  id: 'WRITE-001',
  safety: 'draft',
  needs: ['admin'],
  description: 'A create without execute answers HTTP 200 with a pending draft (schema-valid, no execution), the admin queue lists it, and nothing is created.',
  async run(ctx) {
    const p = await ctx.persona({ name: 'write-draft' });
    try {
      const mark = marker(ctx);
      const ex = await requestCreate(ctx, p, mark);
      const data = expectSuccess<any>(ex, 'POST /actions without execute');
      if (data?.status !== 'draft') fail('a write without auto-execution did not stay a draft', 'data.status "draft"', describe(ex), ex);
      const problems = validateAgainst('draft', data.draft);
      if (problems.length) fail('the returned draft does not match the draft schema', 'a draft object', problems.join('; '), ex);
      if (data.draft.status !== 'draft') fail('the returned draft is not pending', 'draft.status "draft"', `draft.status ${JSON.stringify(data.draft.status)}`, ex);
      const id: string = data.draft.id;

      const seen = await agentDraft(p, id, 'agent poll');
      if (seen.draft.status !== 'draft' || seen.execution !== null) {
        fail('GET /drafts/{id} does not show a pending draft without execution', 'status draft, execution null', `status ${seen.draft.status}, execution ${JSON.stringify(seen.execution)?.slice(0, 120)}`);
      }
      const pending = await listDrafts(ctx, p.appId, 'draft');
      if (!pending.some((d) => d.id === id)) fail('the admin review queue does not list the pending draft', `GET /drafts?appId&status=draft lists ${id}`, `${pending.length} pending draft(s), not ${id}`);
      await expectMarkedCount(ctx, p, mark, 0, 'a pending draft changed the domain');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
