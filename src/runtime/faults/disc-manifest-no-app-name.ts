import type { FaultDef } from './fault.js';
import { manifestAppWithout } from './reply-member.js';

export const fault = {
  name: 'disc-manifest-no-app-name',
  clauses: ['DISC.manifest.app.name'],
  description: "The manifest's app object has no name.",
  hooks: manifestAppWithout('name'),
} as const satisfies FaultDef;
