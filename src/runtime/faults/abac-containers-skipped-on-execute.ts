import { asksToExecute, noteAction, type FaultDef } from './fault.js';

export const fault = {
  name: 'abac-containers-skipped-on-execute',
  clauses: ['ABAC.data.containers.write'],
  description: 'POST /actions with execute: true skips the container allow-list: a write into a container the data policy leaves out auto-executes under an open window; drafts and preflights are refused.',
  hooks: {
    requestBody: noteAction,
    allowedContainers: (next, env) => (data, at, tool) => (at === 'write' && asksToExecute(env) ? null : next(data, at, tool)),
  },
} as const satisfies FaultDef;
