import type { FaultDef } from './fault.js';
import { skipAudit } from './skip-audit.js';

export const fault = {
  name: 'audit-skip-preflight',
  clauses: ['AUDIT.allow.preflight'],
  description: 'A successful preflight leaves no audit event.',
  hooks: skipAudit((e) => e.action === 'agent.action.preflight' && e.status === 'success'),
} as const satisfies FaultDef;
