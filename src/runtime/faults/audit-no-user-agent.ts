import type { FaultDef } from './fault.js';
import { auditEventsWithout } from './reply-member.js';

export const fault = {
  name: 'audit-no-user-agent',
  clauses: ['AUDIT.field.user_agent'],
  description: 'Audit events are listed without their user_agent field.',
  hooks: auditEventsWithout('user_agent'),
} as const satisfies FaultDef;
