import { laterOfRisk, type FaultDef } from './fault.js';

export const fault = {
  name: 'witness-skip-on-approve-later-tools',
  clauses: ['WITNESS.recompute.approval'],
  description: "Approving a draft of a witnessed high-risk tool after the domain's first (the demo's transaction.hard_delete) does not recompute its State Witness: a stale draft executes.",
  hooks: {
    reviewExecution: (next, env) => (decision, execute, skipWitness, tool) =>
      next(decision, execute, skipWitness || (decision === 'approve' && tool.witnessed && laterOfRisk(env, tool.name, 'high')), tool),
  },
} as const satisfies FaultDef;
