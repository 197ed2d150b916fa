import { ToolError, type CheckContext, type CheckDef, type Exchange, type Persona } from '../../src/kit/check.js';
import { describe, expectDraftRefusal } from '../../src/kit/expect.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import { writeSamples } from '../../src/kit/target.js';
import { HOUR, JUST_EXPIRED_MS, agoOnServer, createResource, expectIntact, idemKey, justification, marker, payloadFor, preflight, rejectPending, resourceFor, setAutoExecuteIfValid, clockOffset, patchAutoExecute, setExpiringSoon, window, withNumericOffset } from '../lib-write.js';


/**
 * §7: "Gate order for a high-risk execute: enabled (else auto_execute_disabled) → window not expired (else
 * auto_execute_expired) → action allowed (else auto_execute_denied)". The high_risk window has its own
 * expires_at and allowed_actions; each is tried with every later gate satisfied (preflightHash, key,
 * justification), so only that gate can withhold the write.
 */
export const autoexec008: CheckDef = {
  id: 'AUTOEXEC-008',
  safety: 'execute',
  needs: ['admin'],
  description:
    'A fully prepared high-risk execute under a high_risk window that allows it but has expired (an hour ago, a minute ago and only 2 s ago by the server\'s clock too, and an hour ago with expires_at written with the numeric offset "+00:00" unless the admin plane refuses that form as a validation failure) stays a draft with agent.auto_execute_expired, and under an open one whose ' +
    'allowed_actions names another action with agent.auto_execute_denied, and so does every other high-risk write sample of the target under an open one allowing only the high-risk sample; ' +
    'the resources survive.',
  expectedCodes: ['agent.auto_execute_expired', 'agent.auto_execute_denied'],
  async run(ctx) {
    const { highRisk, create } = ctx.target.writes;
    const p = await ctx.persona({ name: 'autoexec-highrisk-window' });
    const apps = [p.appId];
    try {
      const r = await createResource(ctx, p);
      const expired = await setHighRisk(ctx, p, [highRisk.action], -HOUR);
      if ('refused' in expired) {
        const { passed } = await setExpiringSoon(ctx, expired.offset, 'a high_risk window', (at) => patchAutoExecute(ctx, p, { high_risk: window(ctx, [highRisk.action], at - ctx.now()) }));
        await ctx.sleep(Math.max(0, passed - ctx.now()));
      }
      await expectWithheldHighRisk(ctx, p, r, 'agent.auto_execute_expired', 'refused' in expired ? 'under a high_risk window that has just expired' : 'under a high_risk window that expired an hour ago');
      // Expired is expired, not after a grace: a minute ago and 2 s ago by the server's clock too (its Date header).
      if (!('refused' in expired)) {
        const minute = await setHighRisk(ctx, p, [highRisk.action], agoOnServer(ctx, expired, 60_000), true) as Exchange;
        await expectWithheldHighRisk(ctx, p, r, 'agent.auto_execute_expired', 'under a high_risk window that expired a minute ago');
        await setHighRisk(ctx, p, [highRisk.action], agoOnServer(ctx, minute, JUST_EXPIRED_MS), true);
        await expectWithheldHighRisk(ctx, p, r, 'agent.auto_execute_expired', `under a high_risk window that expired ${JUST_EXPIRED_MS / 1000} s ago`);
        // The same kind of instant with a numeric offset ("+00:00") expires alike; a server may refuse that form at PATCH time.
        if (await setAutoExecuteIfValid(ctx, p, { high_risk: withNumericOffset(window(ctx, [highRisk.action], -HOUR)) }) === 'refused') {
          ctx.partial('the admin plane refused a high_risk expires_at written with the offset "+00:00" (400 common.validation): that form was not judged');
        } else await expectWithheldHighRisk(ctx, p, r, 'agent.auto_execute_expired', 'under a high_risk window that expired an hour ago, its expires_at written with the offset "+00:00"');
      }

      // Another high-risk tool of the target if it has one; else the create action (a stricter admin plane may refuse it).
      const other = Object.entries(ctx.target.tools).find(([n, t]) => n !== highRisk.action && t.write && t.risk === 'high')?.[0] ?? create.action;
      if ('refused' in (await setHighRisk(ctx, p, [other], HOUR))) ctx.partial(`the admin plane refused high_risk.allowed_actions [${other}]; the denied gate was not tried with ${highRisk.action}`);
      else await expectWithheldHighRisk(ctx, p, r, 'agent.auto_execute_denied', `under an open high_risk window allowing only ${other}`);

      // allowed_actions binds every high-risk tool, not the one sampled: each other one, fully prepared, is withheld.
      const rest = writeSamples(ctx.target).filter((s) => s.risk === 'high' && s.action !== highRisk.action);
      if (rest.length === 0) return;
      // A persona of its own: these requests come on top of the ones above.
      const q = await ctx.persona({ name: 'autoexec-highrisk-others' });
      apps.push(q.appId);
      await setHighRisk(ctx, q, [highRisk.action], HOUR, true);
      for (const sample of rest) {
        await expectWithheldHighRisk(ctx, q, await resourceFor(ctx, q, sample), 'agent.auto_execute_denied', `under an open high_risk window allowing only ${highRisk.action}`, sample);
      }
    } finally {
      await rejectPending(ctx, ...apps);
    }
  },
};

/** Sets a high_risk window closing `offsetMs` from now: the admin plane's answer, or its refusal and the server's clock read from it (a set-up failure when `mustAccept`). */
async function setHighRisk(ctx: CheckContext, p: Persona, actions: string[], offsetMs: number, mustAccept = false): Promise<Exchange | { refused: Exchange; offset: { low: number; high: number } }> {
  const cfg = { high_risk: window(ctx, actions, offsetMs) };
  const ex = await patchAutoExecute(ctx, p, cfg);
  if (ex.response.status >= 200 && ex.response.status < 300) return ex;
  const offset = clockOffset(ctx, ex);
  const why = `admin plane refused PATCH /apps/${p.appId}/auto-execute ${JSON.stringify(cfg)}: ${describe(ex)}`;
  if (mustAccept) throw new ToolError(`set-up: ${why}`, 'OPC_E_ADMIN_REFUSED');
  ctx.note(why);
  return { refused: ex, offset };
}

/** A fully prepared execute of `sample` (default the high-risk one) on `r` ('' for one that names no resource) is withheld with `code`, and `r` survives. */
async function expectWithheldHighRisk(ctx: CheckContext, p: Persona, r: string, code: ReasonCode, what: string, sample = ctx.target.writes.highRisk): Promise<void> {
  const payload = payloadFor(sample, r, marker(ctx));
  const pf = await preflight(p, sample.action, payload);
  const ex = await p.client.actions({
    action: sample.action, payload, execute: true,
    justification: justification(ctx), idempotencyKey: idemKey(ctx), preflightHash: pf.impactHash,
  });
  expectDraftRefusal(ex, code, `${sample.action} execute ${what}`);
  if (r !== '') await expectIntact(ctx, p, r, `${sample.action} ran ${what}`);
}
