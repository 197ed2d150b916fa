import type { FaultDef } from './fault.js';
import { manifestToolWithout } from './reply-member.js';

export const fault = {
  name: 'disc-tool-no-name',
  clauses: ['DISC.tool.name'],
  description: 'The manifest lists its tools without their name.',
  hooks: manifestToolWithout('name'),
} as const satisfies FaultDef;
