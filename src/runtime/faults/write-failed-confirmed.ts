import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-failed-confirmed',
  clauses: ['WRITE.status.failed'],
  description: 'A draft whose execution failed is marked confirmed instead of failed.',
  hooks: {
    draftStatusOnExecutionError: () => () => 'confirmed',
  },
} as const satisfies FaultDef;
