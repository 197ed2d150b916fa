import type { CheckDef, Exchange } from '../../src/kit/check.js';
import type { AuditEvent } from '../../src/protocol/types.js';
import { fail } from '../../src/kit/expect.js';
import { auditUntil } from '../../src/kit/helpers.js';
import { keyFrom } from '../env/routes.js';
import { window } from '../lib-write.js';
import { eventsDuring, summarize } from './trail.js';

/**
 * §10 lists the admin plane's changes among the audited actions (agent_app.create, agent_key.create,
 * agent_app.revoke, agent_key.revoke, agent_app.policy.update, agent_app.auto_execute.update) and "The
 * protocol requires structured audit events across allow, deny and fail paths". Each change is judged by the
 * app's trail gaining an event while it ran, whatever the action is named (the brief gives names as "e.g.").
 */
export const audit005: CheckDef = {
  id: 'AUDIT-005',
  safety: 'draft',
  needs: ['admin'],
  description: "Each admin-plane change of an app (its creation, a key's creation and revocation, a policy and an auto-execute update, the app's revocation) leaves an audit event of that app with status success.",
  async run(ctx) {
    const p = await ctx.persona({ name: 'audit005 admin' });
    // Nothing but the creation has happened to this app yet: its trail must already hold an event.
    const created = await auditUntil(ctx, p.appId, (events) => events.length > 0);
    if (created.length === 0) fail('creating an app left no audit event of that app', `an audit event with app_id ${p.appId}`, 'no events');

    let keyId = '';
    const changes: [string, () => Promise<Exchange>][] = [
      ['a key creation', async () => {
        const ex = await ctx.admin.createKey(p.appId, { name: `openport-conform ${ctx.checkId}` });
        keyId = keyFrom(ex)?.keyId ?? '';
        return ex;
      }],
      ['a policy update', () => ctx.admin.setPolicy(p.appId, { network: { allowed_ips: [] } })],
      ['an auto-execute update', () => ctx.admin.setAutoExecute(p.appId, { writes: window(ctx, [ctx.target.writes.create.action]) })],
      ['a key revocation', () => ctx.admin.revokeKey(keyId)],
      ['the app revocation', () => ctx.admin.revokeApp(p.appId)],
    ];
    // Each change succeeded (the admin client refuses anything else): its event says so, not denied or failed.
    const succeeded = (events: readonly AuditEvent[]) => events.some((e) => e.status === 'success');
    if (!succeeded(created)) fail("the app's creation is recorded only as denied or failed", `an audit event with app_id ${p.appId} and status success`, summarize(created));
    for (const [what, act] of changes) {
      const { ex, events } = await eventsDuring(ctx, p.appId, act, (fresh) => succeeded(fresh));
      if (events.length === 0) fail(`${what} left no audit event of the app`, `a new audit event with app_id ${p.appId}`, summarize(events), ex);
      if (!succeeded(events)) fail(`${what}, which succeeded, is recorded only as denied or failed`, `a new audit event with app_id ${p.appId} and status success`, summarize(events), ex);
    }
  },
};
