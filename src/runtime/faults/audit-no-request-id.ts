import type { FaultDef } from './fault.js';
import { auditEventsWithout } from './reply-member.js';

export const fault = {
  name: 'audit-no-request-id',
  clauses: ['AUDIT.field.request_id'],
  description: 'Audit events are listed without their request_id field.',
  hooks: auditEventsWithout('request_id'),
} as const satisfies FaultDef;
