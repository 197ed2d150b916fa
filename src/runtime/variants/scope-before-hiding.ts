import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'scope-before-hiding',
  description: 'A write tool the key lacks scopes for is refused 403 agent.scope_denied on preflight and actions, not 400 agent.action_unknown.',
  allowedBy: 'Brief section 6: "Per operation: tool known (400 action_unknown), every required scope granted (403 scope_denied)"; hiding a tool behind action_unknown is only a SHOULD (DISC-003).',
};
