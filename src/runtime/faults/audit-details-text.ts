import type { FaultDef } from './fault.js';
import { auditEventsEdited } from './reply-member.js';

export const fault = {
  name: 'audit-details-text',
  clauses: ['AUDIT.field.details'],
  description: 'Audit events carry details as JSON text instead of an object or null.',
  hooks: auditEventsEdited((e) => ({ ...e, details: JSON.stringify(e.details ?? {}) })),
} as const satisfies FaultDef;
