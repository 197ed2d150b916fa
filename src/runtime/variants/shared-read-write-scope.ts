import type { VariantDef } from './variant.js';
import { rescoped } from './scope-map.js';

export const variant: VariantDef = {
  name: 'shared-read-write-scope',
  description: 'The listing of a container and the create share one scope (demo: transaction.list needs transaction.write; helpdesk: ticket.list needs ticket.write).',
  allowedBy: 'Brief section 2: a tool has its own "requiredScopes[]"; section 6 derives visibility from them. Nothing asks reads and writes to use disjoint scopes.',
  hooks: rescoped({
    'transaction.list': ['transaction.write'],
    'ticket.list': ['ticket.write'],
  }),
};
