import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-execute-implied',
  clauses: ['AUTOEXEC.request.execute-true'],
  description: 'A write request that does not ask for execution (no execute:true) auto-executes when the window allows it.',
  hooks: {
    executionMode: (next) => (execute, forceDraft) => next(true, forceDraft),
  },
} as const satisfies FaultDef;
