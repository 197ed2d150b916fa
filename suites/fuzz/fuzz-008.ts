import type { CheckDef } from '../../src/engine/check.js';
import { replayCorpus } from '../../src/engine/fuzz/index.js';

export const fuzz008: CheckDef = {
  id: 'FUZZ-008',
  safety: 'draft',
  needs: ['token'],
  bindings: ['http'],
  description: 'Every saved counterexample in fuzz/corpus/ replays to a well-formed, non-5xx, non-leaking envelope.',
  async run(ctx) {
    await replayCorpus(ctx);
  },
};
