import type { FaultDef } from './fault.js';
import { skipAudit } from './skip-audit.js';

export const fault = {
  name: 'audit-skip-auto-execute-requested',
  clauses: ['AUDIT.allow.auto-execute-requested'],
  description: 'An auto-executed write leaves no agent.action.auto_execute.requested event.',
  hooks: skipAudit((e) => e.action === 'agent.action.auto_execute.requested'),
} as const satisfies FaultDef;
