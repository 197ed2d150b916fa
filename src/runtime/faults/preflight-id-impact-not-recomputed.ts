import { noteAction, preflightIdWithoutHash, type FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-id-impact-not-recomputed',
  clauses: ['PREFLIGHT.execute.recomputes'],
  description:
    "An execute naming a preflightId (and no preflightHash) is compared with the preflight's stored impact hash, not with the impact recomputed now: " +
    'a write whose impact changed after preflight executes.',
  hooks: {
    requestBody: noteAction,
    recomputedImpactHash: (next, env) => (action, payload, recompute) => {
      const id = preflightIdWithoutHash(env);
      const pre = id === undefined ? undefined : env.store.preflights.get(id);
      return pre ? pre.impactHash : next(action, payload, recompute);
    },
  },
} as const satisfies FaultDef;
