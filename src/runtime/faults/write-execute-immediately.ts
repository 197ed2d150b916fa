import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-execute-immediately',
  clauses: ['WRITE.draft-first.create', 'WRITE.draft-first.update', 'WRITE.draft-first.high-risk'],
  description: 'Writes execute at once, without auto-execution being enabled or requested.',
  hooks: {
    executionMode: () => () => 'immediate',
  },
} as const satisfies FaultDef;
