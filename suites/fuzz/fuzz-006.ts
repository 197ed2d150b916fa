import type { CheckDef } from '../../src/kit/check.js';
import { fuzzDifferential } from '../../fuzz/differential.js';

export const fuzz006: CheckDef = {
  id: 'FUZZ-006',
  safety: 'read-only',
  needs: ['token'],
  bindings: ['http'],
  description: 'Data-independent requests (bad credentials, validation errors, unknown actions, missing scopes) get the same status and code as from the reference runtime (hidden tool: scope_denied ≡ action_unknown).',
  expectedCodes: ['agent.token_invalid', 'common.validation', 'agent.action_unknown', 'agent.scope_denied'],
  async run(ctx) {
    await fuzzDifferential(ctx);
  },
};
