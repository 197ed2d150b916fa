import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-no-limit',
  breaks: 'ADM-001',
  description: 'Admission control is off: no request is ever rate limited.',
} as const satisfies FaultDef;
