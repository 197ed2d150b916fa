import type { CheckDef } from '../../src/kit/check.js';
import { replayCorpus } from '../../fuzz/corpus-replay.js';

export const fuzz008: CheckDef = {
  id: 'FUZZ-008',
  safety: 'draft',
  needs: ['token'],
  bindings: ['http'],
  description: 'Every saved counterexample (the shipped fuzz/corpus/, and --corpus DIR) replays to a well-formed, non-5xx, non-leaking envelope.',
  async run(ctx) {
    await replayCorpus(ctx);
  },
};
