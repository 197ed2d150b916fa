import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-ledger-ignored',
  breaks: 'ABAC-003',
  description: 'Data policy allowed_ledger_ids is ignored.',
} as const satisfies FaultDef;
