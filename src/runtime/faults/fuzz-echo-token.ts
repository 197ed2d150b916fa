import type { FaultDef } from './fault.js';

export const fault = {
  name: 'fuzz-echo-token',
  breaks: 'FUZZ-003',
  description: 'A validation error on /actions echoes the Authorization header value in its message.',
} as const satisfies FaultDef;
