import type { FaultDef } from './fault.js';
import { auditEventsWithout } from './reply-member.js';

export const fault = {
  name: 'audit-no-performed-by-user-id',
  clauses: ['AUDIT.field.performed_by_user_id'],
  description: 'Audit events are listed without their performed_by_user_id field.',
  hooks: auditEventsWithout('performed_by_user_id'),
} as const satisfies FaultDef;
