import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-admin',
  clauses: ['AUDIT.admin.app-create', 'AUDIT.admin.key-create', 'AUDIT.admin.app-revoke', 'AUDIT.admin.key-revoke', 'AUDIT.admin.policy-update', 'AUDIT.admin.auto-execute-update'],
  description: 'Admin-plane changes (apps, keys, policy, auto-execute) leave no audit event.',
  hooks: {
    adminAuditEvent: () => () => undefined,
  },
} as const satisfies FaultDef;
