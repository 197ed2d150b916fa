import type { FaultDef } from './fault.js';
import { auditEventsWithout } from './reply-member.js';

export const fault = {
  name: 'audit-no-status',
  clauses: ['AUDIT.field.status'],
  description: 'Audit events are listed without their status field.',
  hooks: auditEventsWithout('status'),
} as const satisfies FaultDef;
