import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'preflight-id-single-use',
  description: 'A preflightId is consumed by the first request that drafts from it; presenting it again is 400 agent.preflight_not_found.',
  allowedBy: 'Brief section 7: a preflightId "is bound to app + key + actor and expires"; how often it may be presented is not specified, and the registry\'s preflight_not_found covers "unknown, expired".',
  hooks: {
    preflightReusable: () => () => false,
  },
};
