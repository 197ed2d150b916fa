import type { CheckDef } from '../../src/kit/check.js';
import { fuzzRequests, no5xx } from '../../fuzz/properties.js';

export const fuzz001: CheckDef = {
  id: 'FUZZ-001',
  safety: 'draft',
  needs: ['token'],
  bindings: ['http'],
  description: 'Generated and hostile requests on every agent and admin route (schema-derived, mutated, malformed, header abuse) never get a 5xx.',
  async run(ctx) {
    await fuzzRequests(ctx, no5xx);
  },
};
