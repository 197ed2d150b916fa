import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-key-change-no-key-id',
  clauses: ['AUDIT.field.key_id.key-changes'],
  description: "The audit events of a key's creation and revocation name no key (key_id null); agent events still do.",
  hooks: {
    adminAuditEvent: (next) => (e) => next(e.action.startsWith('agent_key.') ? { ...e, key: null } : e),
  },
} as const satisfies FaultDef;
