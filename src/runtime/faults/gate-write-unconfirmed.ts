import { deployedWriteTools } from './deploy.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'gate-write-unconfirmed',
  clauses: ['GATE.deploy.write-confirmation-gated'],
  description: "The deployment's write tools, as the admin plane lists an app's tools, do not require confirmation.",
  hooks: deployedWriteTools((tool) => ({ ...tool, requiresConfirmation: false })),
} as const satisfies FaultDef;
