import { ToolError, type CheckDef, type Persona } from '../../src/kit/check.js';
import { expectDraftRefusal } from '../../src/kit/expect.js';
import { createResource, expectIntact, idemKey, justification, payloadFor, preflight, rejectPending, window } from '../lib-write.js';

export const autoexec007: CheckDef = {
  id: 'AUTOEXEC-007',
  safety: 'execute',
  needs: ['admin'],
  description: 'A writes window that even lists the high-risk action does not auto-execute it: a fully prepared high-risk execute (preflightHash, key, justification) stays a draft with agent.auto_execute_disabled and the resource survives.',
  expectedCodes: ['agent.auto_execute_disabled'],
  async run(ctx) {
    const { create, highRisk } = ctx.target.writes;
    let p: Persona;
    try {
      p = await ctx.persona({ name: 'autoexec-highrisk', autoExecute: { writes: window(ctx, [create.action, highRisk.action]) } });
    } catch (e) {
      if (!(e instanceof ToolError)) throw e;
      // Refusing a high-risk action in the low/medium window is a legitimate (stricter) admin plane.
      ctx.note(`the admin plane refused ${highRisk.action} in writes.allowed_actions (${e.message}); the window names ${create.action} only`);
      p = await ctx.persona({ name: 'autoexec-highrisk', autoExecute: { writes: window(ctx, [create.action]) } });
    }
    try {
      const r = await createResource(ctx, p);
      const payload = payloadFor(highRisk, r);
      const pf = await preflight(p, highRisk.action, payload);
      const ex = await p.client.actions({
        action: highRisk.action, payload, execute: true,
        justification: justification(ctx), idempotencyKey: idemKey(ctx), preflightHash: pf.impactHash,
      });
      expectDraftRefusal(ex, 'agent.auto_execute_disabled', 'high-risk execute under a low/medium window only');
      await expectIntact(ctx, p, r, 'the high-risk write ran');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
