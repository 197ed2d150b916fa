import type { FaultDef } from './fault.js';
import { auditEventsWithout } from './reply-member.js';

export const fault = {
  name: 'audit-no-id',
  clauses: ['AUDIT.field.id'],
  description: 'Audit events are listed without their id field.',
  hooks: auditEventsWithout('id'),
} as const satisfies FaultDef;
