import type { FaultDef } from './fault.js';
import { skipAudit } from './skip-audit.js';

export const fault = {
  name: 'audit-skip-approve',
  clauses: ['AUDIT.allow.approve'],
  description: "Approving a draft leaves no audit event of its own (only the execution's).",
  hooks: skipAudit((e) => e.action === 'agent.draft.approve'),
} as const satisfies FaultDef;
