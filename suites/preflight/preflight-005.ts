import type { CheckDef } from '../../src/kit/check.js';
import { expectError } from '../../src/kit/expect.js';
import { presentElsewhere } from './binding.js';

export const preflight005: CheckDef = {
  id: 'PREFLIGHT-005',
  safety: 'draft',
  needs: ['admin'],
  description:
    "Another app of the same tenant with the same scopes presenting app A's preflightId (of every write sample) gets 400 agent.preflight_not_found, " +
    'as a draft and with execute:true alike, and so does a second key of app A (a preflightId is bound to its key); the key that preflighted the create can use its preflightId. That nothing is drafted is PREFLIGHT-007\'s.',
  expectedCodes: ['agent.preflight_not_found'],
  async run(ctx) {
    await presentElsewhere(ctx, (p) => void expectError(p.ex, 'agent.preflight_not_found', `a preflightId presented by ${p.who}`));
  },
};
