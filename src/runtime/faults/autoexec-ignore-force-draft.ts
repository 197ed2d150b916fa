import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-ignore-force-draft',
  clauses: ['AUTOEXEC.request.not-forceDraft'],
  description: 'forceDraft is ignored when auto-execution would allow the write.',
  hooks: {
    executionMode: (next) => (execute) => next(execute, false),
  },
} as const satisfies FaultDef;
