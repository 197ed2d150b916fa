import type { CheckDef } from '../../src/kit/check.js';
import { createResource, expectIntact, expectWithheld, highRiskWindow, idemKey, justification, payloadFor, rejectPending, setAutoExecuteIfValid, window } from '../lib-write.js';

export const preflight002: CheckDef = {
  id: 'PREFLIGHT-002',
  safety: 'execute',
  needs: ['admin'],
  description:
    'Under an open high-risk window (preflight required by default), a high-risk execute with justification and key but no preflightHash is withheld with agent.preflight_required; ' +
    'so it is under a window that sets require_idempotency but leaves require_preflight out (its default holds whatever else the window names); the resource survives.',
  expectedCodes: ['agent.preflight_required'],
  async run(ctx) {
    const { highRisk } = ctx.target.writes;
    const p = await ctx.persona({ name: 'preflight-required', autoExecute: highRiskWindow(ctx) });
    try {
      const r = await createResource(ctx, p);
      const unprepared = async (what: string) => {
        const ex = await p.client.actions({
          action: highRisk.action, payload: payloadFor(highRisk, r), execute: true,
          justification: justification(ctx), idempotencyKey: idemKey(ctx),
        });
        expectWithheld(ex, 'agent.preflight_required', `high-risk execute without preflightHash ${what}`);
        await expectIntact(ctx, p, r, `the high-risk write ran without preflight ${what}`);
      };
      await unprepared('under a window naming neither require_* flag');
      // §7 "require_preflight (default true)": a window naming the other flag leaves this one at its default.
      const w = { ...window(ctx, [highRisk.action]), require_idempotency: true };
      if (await setAutoExecuteIfValid(ctx, p, { high_risk: w }) === 'refused') {
        ctx.partial(`the admin plane refused high_risk ${JSON.stringify(w)} (400 common.validation): require_preflight's default beside require_idempotency was not judged`);
      } else await unprepared('under a window setting require_idempotency:true but not require_preflight');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
