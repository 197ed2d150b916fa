import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-ignore-allowed',
  breaks: 'AUTOEXEC-004',
  description: 'Auto-execute allowed_actions is not checked.',
  hooks: {
    windowAllows: () => () => true,
  },
} as const satisfies FaultDef;
