import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-text-errors',
  breaks: 'ENV-004',
  description: 'Error responses are served with content-type text/plain instead of application/json.',
} as const satisfies FaultDef;
