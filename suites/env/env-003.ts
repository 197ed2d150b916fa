import type { CheckDef } from '../../src/kit/check.js';
import { isReasonCode } from '../../src/protocol/codes.js';
import { exchangesToJudge, judgeAll } from './battery.js';

export const env003: CheckDef = {
  id: 'ENV-003',
  safety: 'read-only',
  needs: [],
  bindings: ['http'],
  phase: 'final',
  description: "Every error response's HTTP status is one the registry allows for its reason code; successes are 200.",
  async run(ctx) {
    const unexpected = new Set<string>();
    await judgeAll(ctx, await exchangesToJudge(ctx), 'ENV-003', (ex) => {
      const j = ex.response.json as { ok?: unknown; code?: unknown } | undefined;
      // The rule passes a code outside the registry (no registry status to disagree with); it is noted here.
      if (j !== null && typeof j === 'object' && typeof j.code === 'string' && j.ok !== true && !isReasonCode(j.code)) unexpected.add(j.code);
    });
    if (unexpected.size) ctx.note(`unexpected code(s) not in the registry: ${[...unexpected].join(', ')}`);
  },
};
