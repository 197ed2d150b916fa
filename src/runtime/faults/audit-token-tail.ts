import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-token-tail',
  clauses: ['AUDIT.no-token'],
  description: "Agent-plane audit events carry the last 30 characters of the request's Authorization header: the token without its prefix, which with a token_prefix rebuilds it.",
  hooks: {
    auditEvent: (next) => (s, e) => next(s, s.authorization === undefined ? e : { ...e, details: { ...e.details, credential_tail: s.authorization.slice(-30) } }),
  },
} as const satisfies FaultDef;
