import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-inverted-window-accepted',
  clauses: ['ABAC.data.start-after-end'],
  description: 'A windowed read whose start is after its end is answered (with no rows) instead of 400 agent.action_invalid.',
  hooks: {
    invertedWindow: () => () => null,
  },
} as const satisfies FaultDef;
