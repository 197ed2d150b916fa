import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-double-execute',
  breaks: 'WRITE-002',
  description: 'Approval executes the draft twice.',
} as const satisfies FaultDef;
