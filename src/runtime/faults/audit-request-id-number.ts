import type { FaultDef } from './fault.js';
import { auditEventsEdited } from './reply-member.js';

export const fault = {
  name: 'audit-request-id-number',
  clauses: ['AUDIT.field.request_id'],
  description: 'Audit events carry request_id as a number (a server-side counter) instead of a string or null.',
  hooks: auditEventsEdited((e) => ({ ...e, request_id: 1 })),
} as const satisfies FaultDef;
