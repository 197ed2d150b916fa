import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-id-payload-lost',
  clauses: ['PREFLIGHT.id.reuse'],
  description: 'A request naming a preflightId drafts an empty payload instead of the preflighted one.',
  hooks: {
    preflightPayload: () => () => ({}),
  },
} as const satisfies FaultDef;
