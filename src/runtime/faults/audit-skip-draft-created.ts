import type { FaultDef } from './fault.js';
import { skipAudit } from './skip-audit.js';

export const fault = {
  name: 'audit-skip-draft-created',
  clauses: ['AUDIT.allow.draft-created'],
  description: 'Creating a draft (without an auto-execute refusal) leaves no audit event.',
  hooks: skipAudit((e) => e.action === 'agent.action.draft.created' && e.status === 'success'),
} as const satisfies FaultDef;
