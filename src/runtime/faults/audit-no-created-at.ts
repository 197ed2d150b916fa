import type { FaultDef } from './fault.js';
import { auditEventsWithout } from './reply-member.js';

export const fault = {
  name: 'audit-no-created-at',
  clauses: ['AUDIT.field.created_at'],
  description: 'Audit events are listed without their created_at field.',
  hooks: auditEventsWithout('created_at'),
} as const satisfies FaultDef;
