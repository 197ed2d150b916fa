import type { FaultDef } from './fault.js';

export const fault = {
  name: 'disc-show-all-tools',
  clauses: ['DISC.hidden.absent', 'DISC.visible.scopes', 'DISC.manifest.only-usable'],
  description: "The manifest lists every tool, whatever the app's scopes.",
  hooks: {
    manifestTools: () => (tools) => [...tools],
  },
} as const satisfies FaultDef;
