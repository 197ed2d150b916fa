import type { FaultDef } from './fault.js';
import { manifestAppWithout } from './reply-member.js';

export const fault = {
  name: 'disc-manifest-no-app-scope',
  clauses: ['DISC.manifest.app.scope'],
  description: "The manifest's app object has no scope.",
  hooks: manifestAppWithout('scope'),
} as const satisfies FaultDef;
