import type { FaultDef } from './fault.js';
import { skipAudit } from './skip-audit.js';

export const fault = {
  name: 'audit-skip-execute',
  clauses: ['AUDIT.allow.execute'],
  description: 'Running a draft leaves no audit event of the execution.',
  hooks: skipAudit((e) => e.action === 'agent.action.execute'),
} as const satisfies FaultDef;
