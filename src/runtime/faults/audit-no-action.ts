import type { FaultDef } from './fault.js';
import { auditEventsWithout } from './reply-member.js';

export const fault = {
  name: 'audit-no-action',
  clauses: ['AUDIT.field.action'],
  description: 'Audit events are listed without their action field.',
  hooks: auditEventsWithout('action'),
} as const satisfies FaultDef;
