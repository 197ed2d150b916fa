import type { CheckDef } from '../../src/kit/check.js';
import { expectError } from '../../src/kit/expect.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import { createResource, expectIntact, expectWithheld, highRiskWindow, idemKey, payloadFor, preflight, rejectPending } from '../lib-write.js';

const WITHHELD: ReasonCode = 'agent.action_invalid';
/** An empty justification may also be refused as invalid input. */
const EMPTY_REFUSED: ReasonCode = 'common.validation';

export const preflight003: CheckDef = {
  id: 'PREFLIGHT-003',
  safety: 'execute',
  needs: ['admin'],
  description:
    'Under an open high-risk window, a high-risk execute with preflightHash and key but no justification does not execute (draft or 400 with agent.action_invalid), ' +
    'nor does one whose justification is the empty string (also 400 common.validation); the resource survives.',
  expectedCodes: [WITHHELD, EMPTY_REFUSED],
  async run(ctx) {
    const { highRisk } = ctx.target.writes;
    const p = await ctx.persona({ name: 'preflight-justify', autoExecute: highRiskWindow(ctx) });
    try {
      const r = await createResource(ctx, p);
      const payload = payloadFor(highRisk, r);
      const pf = await preflight(p, highRisk.action, payload);
      const gates = () => ({ action: highRisk.action, payload, execute: true, idempotencyKey: idemKey(ctx), preflightHash: pf.impactHash });
      expectWithheld(await p.client.actions(gates()), WITHHELD, 'high-risk execute without justification');
      await expectIntact(ctx, p, r, 'the high-risk write ran without justification');

      // Present but empty is no justification either (a server testing only for presence would run it).
      const empty = await p.client.actions({ ...gates(), justification: '' });
      if (empty.response.status === 400) expectError(empty, [WITHHELD, EMPTY_REFUSED], 'high-risk execute with justification ""');
      else expectWithheld(empty, WITHHELD, 'high-risk execute with justification ""');
      await expectIntact(ctx, p, r, 'the high-risk write ran with an empty justification');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
