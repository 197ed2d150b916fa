import { laterOfRisk, type FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-hash-unchecked-later-tools',
  clauses: ['PREFLIGHT.execute.changed-payload'],
  description: "A high-risk tool after the domain's first (the demo's transaction.hard_delete) auto-executes whatever preflightHash it carries: a payload changed after preflight runs.",
  hooks: {
    autoExecuteGates: (next, env) => (gates, tool) => (laterOfRisk(env, tool.name, 'high') ? next(gates, tool).filter((g) => g.name !== 'preflight-match') : next(gates, tool)),
  },
} as const satisfies FaultDef;
