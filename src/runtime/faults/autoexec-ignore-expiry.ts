import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-ignore-expiry',
  clauses: ['AUTOEXEC.writes.expires_at', 'AUTOEXEC.high_risk.expires_at'],
  description: 'Auto-execute windows never expire.',
  hooks: {
    windowExpired: () => () => false,
  },
} as const satisfies FaultDef;
