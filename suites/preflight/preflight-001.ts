import type { CheckDef } from '../../src/kit/check.js';
import { expectSuccess, fail } from '../../src/kit/expect.js';
import { impactHash } from '../../src/protocol/index.js';
import { createPayload, marker, payloadFor, runTokenPreflight } from '../lib-write.js';

export const preflight001: CheckDef = {
  id: 'PREFLIGHT-001',
  safety: 'draft',
  needs: ['token'],
  description: 'For the create sample and the high-risk sample on the existing resource, impactHash equals hex(SHA-256(JCS({action, payload as sent, impact}))).',
  async run(ctx) {
    const { create, highRisk } = ctx.target.writes;
    const cases = [
      { action: create.action, payload: createPayload(ctx, marker(ctx)) },
      { action: highRisk.action, payload: payloadFor(highRisk, ctx.target.existingResourceId) },
    ];
    for (const { action, payload } of cases) {
      const ex = await runTokenPreflight(ctx, action, payload);
      const d = expectSuccess<any>(ex, `preflight of ${action}`);
      if (typeof d?.impactHash !== 'string' || !('impact' in d)) fail(`preflight of ${action} lacks impact or impactHash`, 'data.impact and data.impactHash', JSON.stringify(d).slice(0, 200), ex);
      const mine = impactHash(action, payload, d.impact);
      // "hex" fixes the digits, not their case.
      if (mine !== d.impactHash.toLowerCase()) fail(`impactHash of ${action} does not bind action, payload and impact`, mine, d.impactHash, ex);
    }
  },
};
