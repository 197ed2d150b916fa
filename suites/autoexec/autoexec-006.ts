import { Skip, type CheckDef } from '../../src/kit/check.js';
import { describe, fail } from '../../src/kit/expect.js';
import { eventsDuring } from '../audit/trail.js';
import { dataOf } from '../../src/kit/clients.js';
import { samplePayloadOf } from '../../src/kit/helpers.js';
import { writeSamples } from '../../src/kit/target.js';
import { expireWritesWindow, idemKey, justification, marker, otherWriteAction, rejectPending, requestCreate, window } from '../lib-write.js';

export const autoexec006: CheckDef = {
  id: 'AUTOEXEC-006',
  safety: 'draft',
  needs: ['admin'],
  description: 'The disabled, expired and denied auto-execute refusals each leave an audit event with the draft id, status denied and the refusal code; so does the disabled refusal of every high-risk write sample (its tier never enabled).',
  expectedCodes: ['agent.auto_execute_disabled', 'agent.auto_execute_expired', 'agent.auto_execute_denied'],
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const p = await ctx.persona({ name: 'autoexec-audit' });
    let refused = 0;
    // Each refusal's event is read right after it: a server whose audit listing ignores appId and shows only
    // the newest events of all apps would otherwise have dropped the first one by the end of the check.
    const attempt = async (situation: string, send = () => requestCreate(ctx, p, marker(ctx), { execute: true, idempotencyKey: idemKey(ctx) })) => {
      const { ex, events } = await eventsDuring(ctx, p.appId, send, (fresh) => fresh.some((e) => e.status === 'denied'));
      const d = dataOf(ex);
      // Whether the refusal happens at all is AUTOEXEC-001/003/004's subject; this check audits the ones that do.
      if (!(d?.status === 'draft' && typeof d.autoExecuteDeniedCode === 'string' && typeof d.draft?.id === 'string')) {
        ctx.partial(`${situation}: not refused (${describe(ex)}), so its audit event was not judged`);
        return;
      }
      refused++;
      const { id: draftId } = d.draft;
      const code: string = d.autoExecuteDeniedCode;
      if (!events.some((e) => e.draft_id === draftId && e.status === 'denied' && e.code === code)) {
        const got = events.filter((e) => e.draft_id === draftId).map((e) => `${e.status}/${e.code}`);
        fail(`the ${code} refusal left no denied audit event`, `an audit event with draft_id ${draftId}, status denied, code ${code}`, got.length ? `events for that draft: ${got.join(', ')}` : 'no event for that draft', ex);
      }
    };
    try {
      await attempt('auto-execution disabled');
      // The high-risk tier refuses as the other does (§7: "Every refusal still creates a draft"): each high-risk
      // sample, with everything its gates ask for, while that tier was never enabled. A draft only, rejected below;
      // one aimed at a resource names the existing one.
      for (const sample of writeSamples(ctx.target).filter((s) => s.risk === 'high')) {
        await attempt(`high-risk ${sample.action}, its tier disabled`, () => p.client.actions({ action: sample.action, payload: samplePayloadOf(ctx.target, sample.payload), execute: true, idempotencyKey: idemKey(ctx), justification: justification(ctx) }));
      }
      await expireWritesWindow(ctx, p, [action]);
      await attempt('window expired');
      const other = otherWriteAction(ctx, action);
      if (other) {
        await ctx.admin.setAutoExecute(p.appId, { writes: window(ctx, [other]) });
        await attempt('action not allowed');
      }
      if (refused === 0) throw new Skip('the target refused none of the auto-executions, so there is no refusal to audit', 'see AUTOEXEC-001, -003, -004');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
