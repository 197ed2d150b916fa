import type { CheckDef } from '../../src/kit/check.js';
import { fuzzRequests, noLeak } from '../../fuzz/properties.js';

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
