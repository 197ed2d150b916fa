import type { FaultDef } from './fault.js';
import { manifestAppWithout } from './reply-member.js';

export const fault = {
  name: 'disc-manifest-no-app-org-id',
  clauses: ['DISC.manifest.app.orgId'],
  description: "The manifest's app object has no orgId.",
  hooks: manifestAppWithout('orgId'),
} as const satisfies FaultDef;
