import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'hidden-tool-unknown',
  description: 'A write tool the key lacks scopes for is answered 400 agent.action_unknown on preflight and actions, exactly like a tool that does not exist, instead of 403 agent.scope_denied.',
  allowedBy: 'Brief section 6: "Tools a key may not call are absent from its manifest"; a hidden tool that answers like an unknown one discloses nothing, and AUTHZ-002 accepts either refusal.',
  hooks: {
    scopeRefusal: () => (action) => ({ code: 'agent.action_unknown', message: 'Unknown action', details: { actionType: action, reason: 'missing_scope' } }),
  },
};
