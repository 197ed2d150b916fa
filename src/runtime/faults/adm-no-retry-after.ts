import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-no-retry-after',
  breaks: 'ADM-003',
  description: '429 responses carry no Retry-After header.',
} as const satisfies FaultDef;
