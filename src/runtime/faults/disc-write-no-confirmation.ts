import type { FaultDef } from './fault.js';

export const fault = {
  name: 'disc-write-no-confirmation',
  breaks: 'DISC-002',
  description: 'Write tools advertise requiresConfirmation false in the manifest.',
} as const satisfies FaultDef;
