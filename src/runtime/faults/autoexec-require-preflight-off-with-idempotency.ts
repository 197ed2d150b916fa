import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-require-preflight-off-with-idempotency',
  clauses: ['AUTOEXEC.high_risk.require_preflight'],
  description: 'A high_risk window set with require_idempotency but without require_preflight does not require a preflightHash (the default true holds only on a window that names neither).',
  hooks: {
    absentRequirement: (next) => (field, given) => (field === 'require_preflight' && typeof given?.require_idempotency === 'boolean' ? false : next(field, given)),
  },
} as const satisfies FaultDef;
