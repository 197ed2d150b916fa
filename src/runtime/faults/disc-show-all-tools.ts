import type { FaultDef } from './fault.js';

export const fault = {
  name: 'disc-show-all-tools',
  breaks: 'DISC-001',
  description: "The manifest lists every tool, whatever the app's scopes.",
  hooks: {
    manifestTools: () => (tools) => [...tools],
  },
} as const satisfies FaultDef;
