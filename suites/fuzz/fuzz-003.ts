import type { CheckDef } from '../../src/engine/check.js';
import { fuzzRequests, noLeak } from '../../src/engine/fuzz/index.js';

export const fuzz003: CheckDef = {
  id: 'FUZZ-003',
  safety: 'draft',
  needs: ['token'],
  bindings: ['http'],
  description: 'No response to generated requests echoes a stack trace, file path, SQL, a known secret or the presented credential.',
  async run(ctx) {
    await fuzzRequests(ctx, noLeak);
  },
};
