import type { CheckDef } from '../../src/kit/check.js';
import { fuzzAbuse } from '../../fuzz/abuse.js';

export const fuzz007: CheckDef = {
  id: 'FUZZ-007',
  safety: 'load',
  needs: ['admin'],
  expects429: true,
  description: 'Abuse regression: a retry storm (stable 429, no side effects, Retry-After honoured), stolen tokens after revocation, cross-tenant probes by id, payload swaps after preflight, injected instructions.',
  expectedCodes: ['agent.rate_limited', 'agent.token_invalid', 'agent.draft_not_found', 'agent.policy_denied', 'agent.preflight_not_found', 'agent.preflight_mismatch'],
  async run(ctx) {
    await fuzzAbuse(ctx);
  },
};
