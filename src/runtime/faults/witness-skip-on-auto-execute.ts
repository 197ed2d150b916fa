import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-skip-on-auto-execute',
  breaks: 'WITNESS-004',
  description: 'Auto-execution runs without recomputing the State Witness, and a witness bound through a preflightId is left to that recomputation.',
} as const satisfies FaultDef;
