import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-export-denials',
  clauses: ['AUDIT.deny.authz'],
  description: "Denied requests of the export tool (a write tool named …export…, the demo's transactions.export_csv) leave no audit event; every other denial does.",
  hooks: {
    auditEvent: (next) => (s, e) => {
      if (!(e.status === 'denied' && /export/.test(String((e.details as { actionType?: unknown } | null)?.actionType ?? '')))) next(s, e);
    },
  },
} as const satisfies FaultDef;
