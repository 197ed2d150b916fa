import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-reject-executes',
  breaks: 'WRITE-003',
  description: 'Rejecting a draft executes it before canceling it.',
} as const satisfies FaultDef;
