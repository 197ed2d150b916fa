import type { CheckDef } from '../../src/kit/check.js';
import { describe, expectSuccess, fail } from '../../src/kit/expect.js';
import { draftAppOf, listedDrafts } from '../../src/kit/helpers.js';
import { draftCreate, marker, rejectPending } from '../lib-write.js';

export const write009: CheckDef = {
  id: 'WRITE-009',
  safety: 'draft',
  needs: ['admin'],
  description:
    "The admin drafts listing honours its filters: while another app has a pending draft and this app a rejected and a pending one, GET /drafts?appId lists only this app's drafts, " +
    'and GET /drafts?appId&status=draft only its pending one. A listing whose drafts name no app or no status cannot be judged on that filter (partial pass).',
  async run(ctx) {
    const a = await ctx.persona({ name: 'write009 listed' });
    const b = await ctx.persona({ name: 'write009 other' });
    try {
      const rejected = await draftCreate(ctx, a, marker(ctx));
      expectSuccess(await ctx.admin.reject(rejected, `openport-conform ${ctx.checkId}`), 'admin reject');
      const pending = await draftCreate(ctx, a, marker(ctx));
      const others = await draftCreate(ctx, b, marker(ctx));

      const ofApp = await listedDrafts(ctx, { appId: a.appId });
      if (ofApp.every(({ draft }) => typeof draftAppOf(draft ?? {}) !== 'string')) ctx.partial('the drafts listed name no app (app_id): the appId filter was not judged');
      else {
        const stray = ofApp.find(({ draft }) => typeof draftAppOf(draft ?? {}) === 'string' && draftAppOf(draft) !== a.appId);
        if (stray) {
          fail(`GET /drafts?appId=${a.appId} lists a draft of another app`, `only drafts of ${a.appId}`, `draft ${String(stray.draft.id)} of ${String(draftAppOf(stray.draft))}${stray.draft.id === others ? " (this check's other app)" : ''}: ${describe(stray.ex)}`, stray.ex);
        }
      }

      const ofStatus = await listedDrafts(ctx, { appId: a.appId, status: 'draft' });
      if (ofStatus.every(({ draft }) => typeof draft?.status !== 'string')) return void ctx.partial('the drafts listed name no status: the status filter was not judged');
      const wrong = ofStatus.find(({ draft }) => typeof draft?.status === 'string' && draft.status !== 'draft');
      if (wrong) {
        fail(`GET /drafts?appId=${a.appId}&status=draft lists a draft in another status`, 'only pending drafts (status draft)', `draft ${String(wrong.draft.id)} in status ${String(wrong.draft.status)}${wrong.draft.id === rejected ? ' (the one this check rejected)' : ''}: ${describe(wrong.ex)}`, wrong.ex);
      }
      if (!ofStatus.some(({ draft }) => draft?.id === pending)) ctx.note(`GET /drafts?appId=${a.appId}&status=draft does not list the pending draft ${pending} (WRITE-001 judges the queue)`);
    } finally {
      await rejectPending(ctx, a.appId, b.appId);
    }
  },
};
