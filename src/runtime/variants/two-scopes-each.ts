import type { VariantDef } from './variant.js';
import { rescoped } from './scope-map.js';

export const variant: VariantDef = {
  name: 'two-scopes-each',
  description: 'Every tool needs two scopes (each tool adds a second scope of its domain to its own).',
  allowedBy: 'Brief section 2: "requiredScopes[]" is a list, and section 3\'s own demo already has a tool needing two (transactions.export_csv: transaction.read + transaction.export); section 6: "every required scope granted".',
  hooks: rescoped({
    'ledger.list': ['ledger.read', 'transaction.read'],
    'transaction.list': ['transaction.read', 'ledger.read'],
    'transaction.create': ['transaction.write', 'ledger.read'],
    'transaction.update': ['transaction.write', 'ledger.read'],
    'transaction.delete': ['transaction.delete', 'transaction.write'],
    'transaction.hard_delete': ['transaction.delete', 'transaction.write'],
    'project.list': ['project.read', 'ticket.read'],
    'ticket.list': ['ticket.read', 'project.read'],
    'ticket.create': ['ticket.write', 'project.read'],
    'ticket.comment': ['ticket.write', 'project.read'],
    'ticket.update': ['ticket.write', 'project.read'],
    'ticket.reassign_all': ['ticket.write', 'ticket.close'],
  }),
};
