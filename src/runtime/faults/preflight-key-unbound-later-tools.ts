import { laterOfRisk, type FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-key-unbound-later-tools',
  clauses: ['PREFLIGHT.binding.key'],
  description: "A preflightId of a high-risk tool after the domain's first (the demo's transaction.hard_delete) is bound to its app and actor but not its key: another key of the app drafts from it.",
  hooks: {
    preflightBound: (next, env) => (pre, ctx) => (laterOfRisk(env, pre.action, 'high') ? pre.appId === ctx.app.id && pre.actor === ctx.actor : next(pre, ctx)),
  },
} as const satisfies FaultDef;
