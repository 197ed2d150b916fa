import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'revoked-app-issues-keys',
  description: 'POST /apps/{id}/keys on a revoked app issues a key (which every agent request refuses with 401 agent.token_invalid) instead of 404 agent.not_found.',
  allowedBy: 'Brief section 3 does not say what issuing a key on a revoked app does; section 6 step 4 ("owning app active, else 401 token_invalid") makes such a key useless, so nothing is granted.',
  hooks: {
    keyIssuable: () => () => true,
  },
};
