import { Finding, type CheckContext, type CheckDef, type Exchange, type Persona } from '../../src/kit/check.js';
import { describe, observedAt } from '../../src/kit/expect.js';
import { dataOf } from '../../src/kit/clients.js';
import type { WriteSample } from '../../src/kit/target.js';
import { expectMarkedCount, idemKey, justification, marker, otherWrites, payloadFor, preflight, rejectPending, requestCreate, resourceFor, secondKey, tierActions, window } from '../lib-write.js';

const N = 16;

/** "executed ×1, replayed ×15" */
function summarize(kinds: string[]): string {
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${k} ×${n}`).join(', ');
}

/** The distinct execution ids of `answers`, all sent at once with one key. */
const executionIds = (answers: readonly Exchange[]) => new Set(answers.map((ex) => dataOf(ex)?.execution?.id).filter((id): id is string => typeof id === 'string'));

/** Fails when the concurrent `answers` (one request `n` times) name more than one execution id, or (`exactlyOne`) none. */
function expectOneExecution(answers: readonly Exchange[], what: string, exactlyOne: boolean): void {
  const ids = executionIds(answers);
  if (ids.size === 1 || (!exactlyOne && ids.size === 0)) return;
  // Show an answer that executed anew (not a replay), else the first: that is the exchange worth reading.
  const shown = answers.find((ex) => dataOf(ex)?.execution && dataOf(ex)?.replayed !== true) ?? answers[0]!;
  const kinds = answers.map((ex) => (dataOf(ex)?.replayed === true ? 'replayed' : dataOf(ex)?.execution ? 'executed' : describe(ex)));
  // Every concurrent answer is evidence; the one shown first.
  throw new Finding({
    message: `${answers.length} concurrent ${what} with one key did not share one execution`,
    expected: 'exactly one distinct execution id',
    actual: observedAt(shown, `${ids.size} distinct execution id(s); answers: ${summarize(kinds)}`),
    exchanges: [shown, ...answers.filter((ex) => ex !== shown)],
  });
}

export const idem003: CheckDef = {
  id: 'IDEM-003',
  safety: 'execute',
  needs: ['admin'],
  exclusive: true,
  description: `${N} concurrent identical auto-executed creates with one idempotencyKey yield one execution id across every successful answer and exactly one resource (refusals of duplicates are allowed); ` +
    `so do as many concurrent identical executes of every other write sample, fully prepared (justification, idempotencyKey, preflightHash) under an open window of its tier, the high-risk ones included.`,
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const p = await ctx.persona({ name: 'idem-race', autoExecute: { writes: window(ctx, [action]) } });
    try {
      const mark = marker(ctx);
      const key = idemKey(ctx);
      const answers = await Promise.all(Array.from({ length: N }, () => requestCreate(ctx, p, mark, { execute: true, idempotencyKey: key })));
      expectOneExecution(answers, 'executes', true);
      await expectMarkedCount(ctx, p, mark, 1, `${N} concurrent executes with one key`);

      // §7 "N concurrent identical requests produce exactly one execution" holds of every write tool, not of the
      // create alone: each other sample is raced too, under a window of its tier (high_risk with its defaults).
      const others = otherWrites(ctx);
      if (others.length) {
        await ctx.admin.setAutoExecute(p.appId, { writes: window(ctx, [action, ...tierActions(others, false)]), high_risk: window(ctx, tierActions(others, true)) });
      }
      for (const sample of others) await raceSample(ctx, p, sample);
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};

/**
 * `sample` preflighted once, then executed N times at once with one body (justification, one idempotencyKey,
 * the preflightHash and any stateWitnessHash), from a key of its own (a fresh rate-limit share). Duplicates refused
 * after the first ran (its resource gone, its impact moved) are allowed; more than one execution id is the finding.
 */
async function raceSample(ctx: CheckContext, p: Persona, sample: WriteSample): Promise<void> {
  const w = { ...p, ...(await secondKey(ctx, p, `${sample.action} race key`)) };
  const payload = payloadFor(sample, await resourceFor(ctx, w, sample), marker(ctx));
  const pf = await preflight(w, sample.action, payload);
  const body = {
    action: sample.action, payload, execute: true, justification: justification(ctx), idempotencyKey: idemKey(ctx), preflightHash: pf.impactHash,
    ...(pf.stateWitnessHash ? { stateWitnessHash: pf.stateWitnessHash } : {}),
  };
  const answers = await Promise.all(Array.from({ length: N }, () => w.client.actions(body)));
  if (executionIds(answers).size === 0) {
    ctx.partial(`${sample.action}: none of ${N} concurrent fully prepared executes executed (${describe(answers[0]!)}), so its race was not judged (AUTOEXEC-002 and -008 judge the windows)`);
    return;
  }
  expectOneExecution(answers, `${sample.action} executes`, false);
}
