import type { FaultDef } from './fault.js';
import { auditEventsWithout } from './reply-member.js';

export const fault = {
  name: 'audit-no-execution-id',
  clauses: ['AUDIT.field.execution_id'],
  description: 'Audit events are listed without their execution_id field.',
  hooks: auditEventsWithout('execution_id'),
} as const satisfies FaultDef;
