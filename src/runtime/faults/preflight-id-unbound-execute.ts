import { asksToExecute, noteAction, type FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-id-unbound-execute',
  clauses: ['PREFLIGHT.binding.app', 'PREFLIGHT.binding.key'],
  description: "A preflightId's binding to its app, key and actor is not checked when the request asks to execute (execute:true): another app or key drafts, or runs, from it.",
  hooks: {
    requestBody: noteAction,
    preflightBound: (next, env) => (pre, ctx) => asksToExecute(env) || next(pre, ctx),
  },
} as const satisfies FaultDef;
