import { laterOfRisk, type FaultDef } from './fault.js';

export const fault = {
  name: 'witness-skip-on-create-hard-delete',
  clauses: ['WITNESS.create.stale-refused'],
  description: "A stale stateWitnessHash is not checked at draft creation of the high-risk tools after the domain's first (the demo's transaction.hard_delete); every other witnessed write refuses it.",
  hooks: {
    revalidatesWitness: (next, env) => (at, tool) => !(at === 'create' && laterOfRisk(env, tool, 'high')) && next(at, tool),
  },
} as const satisfies FaultDef;
