import { Finding, type CheckDef } from '../../src/kit/check.js';
import { describe, observedAt } from '../../src/kit/expect.js';
import { dataOf } from '../../src/kit/clients.js';
import { expectMarkedCount, idemKey, marker, rejectPending, requestCreate, window } from '../lib-write.js';

const N = 16;

/** "executed ×1, replayed ×15" */
function summarize(kinds: string[]): string {
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ×${n}`).join(', ');
}

export const idem003: CheckDef = {
  id: 'IDEM-003',
  safety: 'execute',
  needs: ['admin'],
  exclusive: true,
  description: `${N} concurrent identical auto-executed creates with one idempotencyKey yield one execution id across every successful answer and exactly one resource (refusals of duplicates are allowed).`,
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const p = await ctx.persona({ name: 'idem-race', autoExecute: { writes: window(ctx, [action]) } });
    try {
      const mark = marker(ctx);
      const key = idemKey(ctx);
      const answers = await Promise.all(Array.from({ length: N }, () => requestCreate(ctx, p, mark, { execute: true, idempotencyKey: key })));
      const ids = new Set(answers.map((ex) => dataOf(ex)?.execution?.id).filter((id): id is string => typeof id === 'string'));
      if (ids.size !== 1) {
        // Show an answer that executed anew (not a replay), else the first: that is the exchange worth reading.
        const shown = answers.find((ex) => dataOf(ex)?.execution && dataOf(ex)?.replayed !== true) ?? answers[0];
        const kinds = answers.map((ex) => (dataOf(ex)?.replayed === true ? 'replayed' : dataOf(ex)?.execution ? 'executed' : describe(ex)));
        // Every concurrent answer is evidence; the one shown first.
        throw new Finding({
          message: `${N} concurrent executes with one key did not share one execution`,
          expected: 'exactly one distinct execution id',
          actual: observedAt(shown, `${ids.size} distinct execution id(s); answers: ${summarize(kinds)}`),
          exchanges: [shown, ...answers.filter((ex) => ex !== shown)],
        });
      }
      await expectMarkedCount(ctx, p, mark, 1, `${N} concurrent executes with one key`);
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
