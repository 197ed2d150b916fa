import { ToolError, type CheckContext, type CheckDef, type Persona } from '../../src/kit/check.js';
import { expectDraftRefusal } from '../../src/kit/expect.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import type { AutoExecuteConfig } from '../../src/protocol/types.js';
import { HOUR, createResource, expectIntact, idemKey, justification, marker, otherWriteAction, payloadFor, preflight, rejectPending, requestCreate, window } from '../lib-write.js';


/**
 * §7: "Gate order for a high-risk execute: enabled → window not expired → action allowed → non-empty
 * justification → idempotencyKey present if required → preflightHash present if required …; Low/medium:
 * enabled → not expired → allowed." Each case breaks two neighbouring gates at once (and every later one is
 * met where it can be): the earlier gate's code must answer. A server that tries them in another order
 * answers the later one's.
 */
export const autoexec009: CheckDef = {
  id: 'AUTOEXEC-009',
  safety: 'execute',
  needs: ['admin'],
  description:
    'Where two neighbouring auto-execute gates would both refuse, the earlier one answers: for a low/medium write disabled before expired before denied; for a high-risk ' +
    'write disabled before expired before denied before a missing justification (action_invalid) before a missing idempotencyKey before a missing preflightHash. Each refusal is a draft; nothing runs.',
  expectedCodes: ['agent.auto_execute_disabled', 'agent.auto_execute_expired', 'agent.auto_execute_denied', 'agent.action_invalid', 'agent.idempotency_required'],
  async run(ctx) {
    const { create, highRisk } = ctx.target.writes;
    const p = await ctx.persona({ name: 'autoexec-gate-order' });
    try {
      // Low/medium, on the create sample. The action a window allows instead of it: another low/medium write.
      const otherLow = otherWriteAction(ctx, create.action);
      const low = async (cfg: AutoExecuteConfig['writes'] & object, code: ReasonCode, what: string) => {
        if (!(await configure(ctx, p, { writes: cfg }, what))) return;
        const ex = await requestCreate(ctx, p, marker(ctx), { execute: true, idempotencyKey: idemKey(ctx) });
        expectDraftRefusal(ex, code, `low/medium execute ${what}`);
      };
      const lowList = otherLow === undefined ? null : [otherLow];
      if (lowList === null) ctx.partial(`the target has no second low/medium write tool: the low/medium "allowed" gate was not paired`);
      await low({ ...window(ctx, lowList ?? [create.action], -HOUR), enabled: false }, 'agent.auto_execute_disabled', 'under a disabled, expired window');
      if (lowList !== null) await low(window(ctx, lowList, -HOUR), 'agent.auto_execute_expired', `under an expired window allowing only ${otherLow}`);

      // High-risk, on a resource of the check's own.
      const r = await createResource(ctx, p);
      const payload = payloadFor(highRisk, r);
      const otherHigh = Object.entries(ctx.target.tools).find(([n, t]) => n !== highRisk.action && t.write && t.risk === 'high')?.[0] ?? create.action;
      const high = async (cfg: AutoExecuteConfig['high_risk'] & object, omit: ('justification' | 'idempotencyKey' | 'preflightHash')[], code: ReasonCode, what: string) => {
        if (!(await configure(ctx, p, { high_risk: cfg }, what))) return;
        const body: Record<string, unknown> = { action: highRisk.action, payload, execute: true };
        if (!omit.includes('justification')) body.justification = justification(ctx);
        if (!omit.includes('idempotencyKey')) body.idempotencyKey = idemKey(ctx);
        if (!omit.includes('preflightHash')) body.preflightHash = (await preflight(p, highRisk.action, payload)).impactHash;
        expectDraftRefusal(await p.client.actions(body), code, `high-risk execute ${what}`);
      };
      await high({ ...window(ctx, [highRisk.action], HOUR), enabled: false }, [], 'agent.auto_execute_disabled', 'under a high_risk window with enabled:false (every later gate met)');
      await high({ ...window(ctx, [otherHigh], -HOUR), enabled: false }, [], 'agent.auto_execute_disabled', 'under a disabled, expired high_risk window');
      await high(window(ctx, [otherHigh], -HOUR), [], 'agent.auto_execute_expired', `under an expired high_risk window allowing only ${otherHigh}`);
      await high(window(ctx, [otherHigh], HOUR), ['justification'], 'agent.auto_execute_denied', `without justification under an open high_risk window allowing only ${otherHigh}`);
      const open = window(ctx, [highRisk.action], HOUR);
      await high(open, ['justification', 'idempotencyKey', 'preflightHash'], 'agent.action_invalid', 'without justification, idempotencyKey and preflightHash');
      await high(open, ['idempotencyKey', 'preflightHash'], 'agent.idempotency_required', 'with justification but without idempotencyKey and preflightHash');
      await expectIntact(ctx, p, r, 'a withheld high-risk write ran');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};

/** Sets the app's auto-execute configuration; an admin plane that refuses it (a past expires_at, say) leaves the case untried. */
async function configure(ctx: CheckContext, p: Persona, cfg: AutoExecuteConfig, what: string): Promise<boolean> {
  try {
    await ctx.admin.setAutoExecute(p.appId, cfg);
    return true;
  } catch (e) {
    if (!(e instanceof ToolError)) throw e;
    ctx.partial(`the admin plane refused the window of the case ${what} (${e.message}); it was not tried`);
    return false;
  }
}
