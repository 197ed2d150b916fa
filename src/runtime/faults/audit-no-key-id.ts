import type { FaultDef } from './fault.js';
import { auditEventsWithout } from './reply-member.js';

export const fault = {
  name: 'audit-no-key-id',
  clauses: ['AUDIT.field.key_id'],
  description: 'Audit events are listed without their key_id field.',
  hooks: auditEventsWithout('key_id'),
} as const satisfies FaultDef;
