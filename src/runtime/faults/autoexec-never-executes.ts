import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-never-executes',
  clauses: ['AUTOEXEC.request.executes'],
  description: 'execute:true inside an open window that allows the action still only drafts.',
  hooks: {
    executionMode: () => () => 'draft',
  },
} as const satisfies FaultDef;
