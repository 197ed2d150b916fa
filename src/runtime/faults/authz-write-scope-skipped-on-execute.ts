import { asksToExecute, noteAction, type FaultDef } from './fault.js';

export const fault = {
  name: 'authz-write-scope-skipped-on-execute',
  clauses: ['AUTHZ.scope.actions'],
  description: "POST /actions that asks to execute at once (execute: true) skips the write tool's scope check: a key without the scope gets a draft; plain actions and preflights are still refused.",
  hooks: {
    requestBody: noteAction,
    checksWriteScopes: (next, env) => (at) => (at === 'actions' && asksToExecute(env) ? false : next(at)),
  },
} as const satisfies FaultDef;
