import type { VariantDef } from './variant.js';
import { rescoped } from './scope-map.js';

export const variant: VariantDef = {
  name: 'high-risk-create-scope',
  description: 'The high-risk writes need only the scope the create needs (demo: the deletes need transaction.write; helpdesk: ticket.close needs ticket.write), so a key that may create sees them.',
  allowedBy: 'Brief section 6: "VisibleTools(key) = { t | requiredScopes(t) ⊆ scopes(app) ∧ PolicyAllows(app, t) }"; section 2 gives each tool its own requiredScopes[] and fixes no map (an independent helpdesk server closes tickets with the write scope).',
  hooks: rescoped({
    'transaction.delete': ['transaction.write'],
    'transaction.hard_delete': ['transaction.write'],
    'ticket.close': ['ticket.write'],
  }),
};
