import type { FaultDef } from './fault.js';
import { auditEventsWithout } from './reply-member.js';

export const fault = {
  name: 'audit-no-actor-user-id',
  clauses: ['AUDIT.field.actor_user_id'],
  description: 'Audit events are listed without their actor_user_id field.',
  hooks: auditEventsWithout('actor_user_id'),
} as const satisfies FaultDef;
