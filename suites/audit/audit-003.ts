import type { CheckDef, Exchange } from '../../src/engine/check.js';
import { expectError, fail } from '../../src/engine/expect.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import { eventsDuring, summarize } from './trail.js';

export const audit003: CheckDef = {
  id: 'AUDIT-003',
  safety: 'draft',
  needs: ['admin'],
  description: "A revoked key's request and a live key's validation failure each leave an audit event for the app with the response code.",
  expectedCodes: ['agent.token_invalid', 'common.validation'],
  async run(ctx) {
    const revoked = await ctx.persona({ name: 'audit003 revoked' });
    await ctx.admin.revokeKey(revoked.keyId);
    const live = await ctx.persona({ name: 'audit003 validation' });
    const cases: [string, string, () => Promise<Exchange>, ReasonCode][] = [
      ['GET manifest with a revoked key', revoked.appId, () => revoked.client.manifest(), 'agent.token_invalid'],
      ['POST actions without a payload', live.appId, () => live.client.actions({ action: ctx.target.writes.create.action }), 'common.validation'],
    ];
    for (const [what, appId, act, code] of cases) {
      const { ex, events } = await eventsDuring(ctx, appId, act);
      expectError(ex, code, what);
      if (!events.some((e) => e.code === code)) fail(`${what}: no audit event for the app carries ${code}`, `an audit event with code ${code}`, summarize(events), ex);
    }
  },
};
