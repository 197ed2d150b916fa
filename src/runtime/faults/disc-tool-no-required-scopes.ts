import type { FaultDef } from './fault.js';
import { manifestToolWithout } from './reply-member.js';

export const fault = {
  name: 'disc-tool-no-required-scopes',
  clauses: ['DISC.tool.requiredScopes'],
  description: 'The manifest lists its tools without their requiredScopes.',
  hooks: manifestToolWithout('requiredScopes'),
} as const satisfies FaultDef;
