import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'absent-allowed-actions-none',
  description: 'An auto-execute window set without allowed_actions (absent or null) allows no action (agent.auto_execute_denied), as if it were [].',
  allowedBy: 'Brief section 7 names allowed_actions in both windows but not its default; reading a missing list as "nothing allowed" is the deny-by-default reading.',
  hooks: {
    absentAllowedActions: () => () => [],
  },
};
