import type { FaultDef } from './fault.js';
import { manifestAppWithout } from './reply-member.js';

export const fault = {
  name: 'disc-manifest-no-app-id',
  clauses: ['DISC.manifest.app.id'],
  description: "The manifest's app object has no id.",
  hooks: manifestAppWithout('id'),
} as const satisfies FaultDef;
