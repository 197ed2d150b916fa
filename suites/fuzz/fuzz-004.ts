import type { CheckDef } from '../../src/kit/check.js';
import { fuzzDenialsLeaveNoState } from '../../fuzz/properties.js';

export const fuzz004: CheckDef = {
  id: 'FUZZ-004',
  safety: 'draft',
  needs: ['admin'],
  bindings: ['http'],
  description: "Generated requests from a read-only and an all-scope persona: every refused one leaves the app's drafts unchanged, and nothing ever executes.",
  expectedCodes: ['agent.scope_denied', 'agent.action_unknown', 'common.validation'],
  async run(ctx) {
    await fuzzDenialsLeaveNoState(ctx);
  },
};
