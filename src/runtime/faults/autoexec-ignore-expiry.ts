import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-ignore-expiry',
  breaks: 'AUTOEXEC-003',
  description: 'Auto-execute windows never expire.',
  hooks: {
    windowExpired: () => () => false,
  },
} as const satisfies FaultDef;
