import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-execute-immediately',
  breaks: 'WRITE-001',
  description: 'Writes execute at once, without auto-execution being enabled or requested.',
  hooks: {
    executionMode: () => () => 'immediate',
  },
} as const satisfies FaultDef;
