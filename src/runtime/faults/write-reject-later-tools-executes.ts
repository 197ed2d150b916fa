import { laterOfRisk, type FaultDef } from './fault.js';

export const fault = {
  name: 'write-reject-later-tools-executes',
  clauses: ['WRITE.execution.only-confirmed'],
  description: "Rejecting a draft of a medium-risk tool after the domain's first (the demo's transaction.update) executes it before canceling it; every other tool's rejection runs nothing.",
  hooks: {
    reviewExecution: (next, env) => (decision, execute, skipWitness, tool) => {
      if (decision === 'reject' && laterOfRisk(env, tool.name, 'medium')) {
        try {
          execute(false);
        } catch {
          // The defect is that it ran at all; its outcome does not change the rejection.
        }
      }
      return next(decision, execute, skipWitness, tool);
    },
  },
} as const satisfies FaultDef;
