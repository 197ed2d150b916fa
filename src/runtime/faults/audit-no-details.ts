import type { FaultDef } from './fault.js';
import { auditEventsWithout } from './reply-member.js';

export const fault = {
  name: 'audit-no-details',
  clauses: ['AUDIT.field.details'],
  description: 'Audit events are listed without their details field.',
  hooks: auditEventsWithout('details'),
} as const satisfies FaultDef;
