import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-write-policy-denials',
  clauses: ['AUDIT.deny.authz'],
  description: 'Data-policy and tenant denials of preflights and write requests (403 policy_denied) leave no audit event; those of reads, and scope denials of writes, do.',
  hooks: {
    auditEvent: (next) => (s, e) => {
      if (!(e.status === 'denied' && e.code === 'agent.policy_denied' && /^agent\.action\.(preflight|request)$/.test(e.action))) next(s, e);
    },
  },
} as const satisfies FaultDef;
