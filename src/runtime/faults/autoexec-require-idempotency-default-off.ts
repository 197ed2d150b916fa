import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-require-idempotency-default-off',
  clauses: ['AUTOEXEC.high_risk.require_idempotency'],
  description: 'A high_risk window set without require_idempotency does not require it (the default is true).',
  hooks: {
    absentRequirement: (next) => (field) => (field === 'require_idempotency' ? false : next(field)),
  },
} as const satisfies FaultDef;
