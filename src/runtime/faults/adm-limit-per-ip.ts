import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-limit-per-ip',
  clauses: ['ADM.limit.per-key.isolated'],
  description: 'The rate limit counts per client IP only: one key past its limit refuses every other key from that address.',
  hooks: {
    admit: (next) => (_keyId, ip) => next('*', ip),
  },
} as const satisfies FaultDef;
