import type { FaultDef } from './fault.js';
import { auditEventsWithout } from './reply-member.js';

export const fault = {
  name: 'audit-no-ip',
  clauses: ['AUDIT.field.ip'],
  description: 'Audit events are listed without their ip field.',
  hooks: auditEventsWithout('ip'),
} as const satisfies FaultDef;
