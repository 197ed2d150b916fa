import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-export-denials',
  clauses: ['AUDIT.deny.authz'],
  description: 'Denied requests of transactions.export_csv leave no audit event (every other denial does).',
  hooks: {
    auditEvent: (next) => (s, e) => {
      if (!(e.status === 'denied' && (e.details as { actionType?: unknown } | null)?.actionType === 'transactions.export_csv')) next(s, e);
    },
  },
} as const satisfies FaultDef;
