import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-refusal-not-200',
  clauses: ['AUTOEXEC.refusal.http-200'],
  description: 'An auto-execute refusal is answered with HTTP 403 (its body the usual draft reply) instead of 200.',
  hooks: {
    agentReplyStatus: (next) => (route, data) => (route === 'POST /actions' && data.status === 'draft' && typeof data.autoExecuteDeniedCode === 'string' ? 403 : next(route, data)),
  },
} as const satisfies FaultDef;
