import type { AuditEvent } from '../../src/protocol/types.js';
import type { CheckDef } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { describe, fail } from '../../src/kit/expect.js';
import { auditUntil, readBack, showsEffect } from '../../src/kit/helpers.js';
import { writeSamples } from '../../src/kit/target.js';
import { agentDraft, resourceFor, draftWrite, marker, payloadFor, rejectPending } from '../lib-write.js';

/**
 * §7: "an admin approves (→ confirmed, then executed)", for every write tool of the catalog, not only the
 * samples the other checks reuse: a defect confined to one tool (an export, a permanent delete, a bulk
 * change) is invisible to a check that never runs it.
 */
export const write008: CheckDef = {
  id: 'WRITE-008',
  safety: 'execute',
  needs: ['admin'],
  description:
    'Every write tool the target describes with a sample (create, update, high-risk, drift, others) is drafted and approved once, each on a resource of its own: the approval ' +
    'runs it with a successful execution, the draft reads confirmed with that execution, the read-back shows the effect the sample declares, and the execution leaves an audit event carrying its id.',
  async run(ctx) {
    const p = await ctx.persona({ name: 'write-catalog' });
    const note = `openport-conform ${ctx.checkId}`;
    try {
      const samples = writeSamples(ctx.target);
      const unsampled = Object.entries(ctx.target.tools).filter(([n, t]) => t.write && !samples.some((s) => s.action === n)).map(([n]) => n);
      if (unsampled.length > 0) ctx.partial(`write tools without a sample were not executed: ${unsampled.join(', ')} (give them writes.others entries)`);
      for (const sample of samples) {
        const resource = await resourceFor(ctx, p, sample);
        const id = await draftWrite(p, sample.action, payloadFor(sample, resource, marker(ctx)));
        const ap = await ctx.admin.approve(id, note);
        const execution = dataOf(ap)?.execution;
        if (execution?.status !== 'success' || typeof execution?.id !== 'string') {
          fail(`approving a ${sample.action} draft did not run it`, 'a success with data.execution {id, status:"success"}', `${describe(ap)}; execution ${JSON.stringify(execution)?.slice(0, 160)}`, ap);
        }
        const seen = await agentDraft(p, id, `the approved ${sample.action} draft`);
        if (seen.draft.status !== 'confirmed' || seen.execution?.id !== execution.id) {
          fail(`the approved ${sample.action} draft does not show its execution`, `status confirmed, execution ${execution.id}`, `status ${seen.draft.status}, execution ${JSON.stringify(seen.execution?.id ?? null)}`);
        }
        if (sample.effect && resource !== '') {
          const row = await readBack(ctx, p.client, resource);
          if (!showsEffect(sample.effect, row)) fail(`the executed ${sample.action} left no effect on its resource`, JSON.stringify(sample.effect), row ? JSON.stringify(row).slice(0, 200) : 'absent from read-back');
        }
        // §10: "structured audit events across allow, deny and fail paths".
        const ofExecution = (e: AuditEvent) => e.execution_id === execution.id;
        const events = (await auditUntil(ctx, p.appId, (all) => all.some(ofExecution))).filter(ofExecution);
        if (events.length === 0) fail(`the ${sample.action} execution left no audit event`, `an audit event with execution_id ${execution.id}`, 'none', ap);
      }
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
