import type { FaultDef } from './fault.js';
import { manifestToolWithout } from './reply-member.js';

export const fault = {
  name: 'disc-tool-no-risk',
  clauses: ['DISC.tool.risk'],
  description: 'The manifest lists its tools without their risk.',
  hooks: manifestToolWithout('risk'),
} as const satisfies FaultDef;
