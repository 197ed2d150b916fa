import { deployedWriteTools } from './deploy.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'gate-write-unrated',
  clauses: ['GATE.deploy.write-risk-rated'],
  description: "The deployment's write tools, as the admin plane lists an app's tools, carry no risk rating.",
  hooks: deployedWriteTools(({ risk: _risk, ...tool }) => tool),
} as const satisfies FaultDef;
