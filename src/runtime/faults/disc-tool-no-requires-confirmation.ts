import type { FaultDef } from './fault.js';
import { manifestToolWithout } from './reply-member.js';

export const fault = {
  name: 'disc-tool-no-requires-confirmation',
  clauses: ['DISC.tool.requiresConfirmation'],
  // Only the tools that need no confirmation lose the member, so no write tool's gate is touched
  // (that is DISC.tool.write-requires-confirmation, broken by disc-write-no-confirmation).
  description: 'The manifest lists its read tools without requiresConfirmation.',
  hooks: manifestToolWithout('requiresConfirmation', (t) => t.requiresConfirmation === false),
} as const satisfies FaultDef;
