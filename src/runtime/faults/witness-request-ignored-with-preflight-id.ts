import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-request-ignored-with-preflight-id',
  clauses: ['WITNESS.create.stale-refused'],
  description: "When a write request names a preflightId, its own stateWitnessHash is ignored (the preflight's witness stands in): a stale one is drafted.",
  hooks: {
    requestBody: (next) => (route, body) => {
      if (route !== 'POST /actions' || typeof body.preflightId !== 'string' || body.stateWitnessHash === undefined) return next(route, body);
      const { stateWitnessHash: _ignored, ...rest } = body;
      return next(route, rest);
    },
  },
} as const satisfies FaultDef;
