import type { FaultDef } from './fault.js';
import { manifestToolWithout } from './reply-member.js';

export const fault = {
  name: 'disc-tool-no-description',
  clauses: ['DISC.tool.description'],
  description: 'The manifest lists its tools without their description.',
  hooks: manifestToolWithout('description'),
} as const satisfies FaultDef;
