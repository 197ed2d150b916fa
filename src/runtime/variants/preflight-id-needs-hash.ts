import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'preflight-id-needs-hash',
  description: 'A preflightId does not stand in for preflightHash: a high-risk execute under require_preflight that names a preflightId but no preflightHash stays a draft with agent.preflight_required.',
  allowedBy: 'Brief section 7 gate order: "preflightHash present if required (else preflight_required)" names the body field; the refusal is a 200 draft and nothing executes.',
  hooks: {
    preflightBinding: (next) => (pre) => ({ impactHash: null, witnessHash: next(pre).witnessHash }),
  },
};
