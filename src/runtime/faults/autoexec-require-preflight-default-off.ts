import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-require-preflight-default-off',
  clauses: ['AUTOEXEC.high_risk.require_preflight'],
  description: 'A high_risk window set without require_preflight does not require it (the default is true).',
  hooks: {
    absentRequirement: (next) => (field) => (field === 'require_preflight' ? false : next(field)),
  },
} as const satisfies FaultDef;
