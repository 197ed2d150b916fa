import type { CheckDef } from '../../src/kit/check.js';
import { fuzzRequests, wellFormed } from '../../fuzz/properties.js';

export const fuzz002: CheckDef = {
  id: 'FUZZ-002',
  safety: 'draft',
  needs: ['token'],
  bindings: ['http'],
  description: 'Every response to generated requests is a JSON envelope carrying a registry code with its registry HTTP status (unknown agent.* codes are reported as unexpected).',
  expectedCodes: ['common.validation', 'agent.token_invalid', 'agent.action_unknown', 'agent.not_found'],
  async run(ctx) {
    await fuzzRequests(ctx, wellFormed);
  },
};
