import type { FaultDef } from './fault.js';
import { auditEventsWithout } from './reply-member.js';

export const fault = {
  name: 'audit-no-draft-id',
  clauses: ['AUDIT.field.draft_id'],
  description: 'Audit events are listed without their draft_id field.',
  hooks: auditEventsWithout('draft_id'),
} as const satisfies FaultDef;
