import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-reapprove',
  breaks: 'WRITE-004',
  description: 'Approving an already confirmed draft executes it again.',
} as const satisfies FaultDef;
