import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-admin-change-recorded-failed',
  clauses: ['AUDIT.admin.policy-update'],
  description: "A policy update that succeeded is recorded with status failed (agent_app.policy.update); every other admin change as success.",
  hooks: {
    adminAuditEvent: (next, env) => (e) => {
      if (e.action !== 'agent_app.policy.update') return next(e);
      env.audit.record({ app_id: e.app.id, key_id: e.key?.id ?? null, actor_user_id: e.actor, performed_by_user_id: e.admin, action: e.action, status: 'failed', details: e.details });
    },
  },
} as const satisfies FaultDef;
