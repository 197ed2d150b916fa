import type { FaultDef } from './fault.js';

export const fault = {
  name: 'fuzz-crash-deep-nesting',
  breaks: 'FUZZ-001',
  description: 'A payload nested deeper than 16 levels throws inside the handler; the adapter answers a raw 500 text/plain.',
} as const satisfies FaultDef;

export const CRASH_DEPTH = 16;
