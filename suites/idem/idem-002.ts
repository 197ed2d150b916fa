import type { CheckDef } from '../../src/engine/check.js';
import { describe, expectSuccess, fail } from '../../src/engine/expect.js';
import { expectMarkedCount, idemKey, marker, rejectPending, requestCreate, window } from '../lib-write.js';

export const idem002: CheckDef = {
  id: 'IDEM-002',
  safety: 'execute',
  needs: ['admin'],
  description: 'Repeating an executed create with the same idempotencyKey answers replayed:true, code agent.idempotency_replay and the original execution id, and still exactly one resource exists.',
  expectedCodes: ['agent.idempotency_replay'],
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const p = await ctx.persona({ name: 'idem-replay', autoExecute: { writes: window(ctx, [action]) } });
    try {
      const mark = marker(ctx);
      const key = idemKey(ctx);
      const first = await requestCreate(ctx, p, mark, { execute: true, idempotencyKey: key });
      const e = expectSuccess<any>(first, 'first execute')?.execution?.id;
      if (typeof e !== 'string') fail('set-up: the first execute did not execute', 'data.execution.id (see AUTOEXEC-002)', describe(first), first);

      const again = await requestCreate(ctx, p, mark, { execute: true, idempotencyKey: key });
      const d = expectSuccess<any>(again, 'repeated execute with the same key');
      if (d?.replayed !== true || d?.code !== 'agent.idempotency_replay' || d?.status !== 'executed' || d?.execution?.id !== e) {
        fail('the repeated key was not answered with the original execution', `data {status:"executed", replayed:true, code:"agent.idempotency_replay", execution.id:"${e}"}`,
          `${describe(again)} replayed=${JSON.stringify(d?.replayed)} code=${JSON.stringify(d?.code)} execution.id=${JSON.stringify(d?.execution?.id)}`, again);
      }
      await expectMarkedCount(ctx, p, mark, 1, 'the replay ran the write again');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
