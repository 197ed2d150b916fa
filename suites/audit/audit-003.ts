import { ToolError, type CheckDef, type Exchange } from '../../src/kit/check.js';
import { describe, expectError, fail } from '../../src/kit/expect.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import { keyFrom, MISSING_DRAFT, NEVER_ISSUED } from '../env/routes.js';
import { eventsDuring, summarize } from './trail.js';

export const audit003: CheckDef = {
  id: 'AUDIT-003',
  safety: 'draft',
  needs: ['admin'],
  description: "A revoked key's request, an expired key's request, a live key's validation failure and its request for a missing draft each leave an audit event for the app with the response code.",
  expectedCodes: ['agent.token_invalid', 'agent.token_expired', 'common.validation', 'agent.draft_not_found'],
  async run(ctx) {
    const revoked = await ctx.persona({ name: 'audit003 revoked' });
    await ctx.admin.revokeKey(revoked.keyId);
    const live = await ctx.persona({ name: 'audit003 live' });
    const cases: [string, string, () => Promise<Exchange>, readonly ReasonCode[] | ReasonCode][] = [
      ['GET manifest with a revoked key', revoked.appId, () => revoked.client.manifest(), 'agent.token_invalid'],
      ['POST actions without a payload', live.appId, () => live.client.actions({ action: ctx.target.writes.create.action }), 'common.validation'],
      [`GET drafts/${MISSING_DRAFT}`, live.appId, () => live.client.draft(MISSING_DRAFT), NEVER_ISSUED],
    ];
    // A server may refuse to issue a key that is born expired; then that case cannot be staged quickly.
    const created = await ctx.admin.createKey(live.appId, { name: 'conform expired', expiresAt: new Date(ctx.now() - 3600_000).toISOString() }).catch((e: unknown) => (e instanceof ToolError ? undefined : Promise.reject(e)));
    const expired = created && keyFrom(created);
    if (expired) cases.push(['GET manifest with an expired key', live.appId, () => ctx.client(expired.token).manifest(), 'agent.token_expired']);
    else ctx.partial(`a key with a past expiresAt was not issued (${created ? describe(created) : 'refused'}); the expired-key case did not run`);
    for (const [what, appId, act, codes] of cases) {
      const answerable = [codes].flat() as ReasonCode[];
      const { ex, events } = await eventsDuring(ctx, appId, act, (fresh) => fresh.some((e) => answerable.includes(e.code as ReasonCode)));
      // The event carries the code the response did.
      const { code } = expectError(ex, answerable, what);
      if (!events.some((e) => e.code === code)) fail(`${what}: no audit event for the app carries ${code}`, `an audit event with code ${code}`, summarize(events), ex);
    }
  },
};
