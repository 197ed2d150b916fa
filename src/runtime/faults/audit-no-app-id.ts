import type { FaultDef } from './fault.js';
import { auditEventsWithout } from './reply-member.js';

export const fault = {
  name: 'audit-no-app-id',
  clauses: ['AUDIT.field.app_id'],
  description: 'Audit events are listed without their app_id field.',
  hooks: auditEventsWithout('app_id'),
} as const satisfies FaultDef;
