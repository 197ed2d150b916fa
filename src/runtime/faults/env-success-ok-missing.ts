import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-success-ok-missing',
  clauses: ['ENV.success.ok'],
  description: 'Agent-plane success replies carry {code, data} without ok: true.',
  hooks: {
    successEnvelope: (next) => (plane, body) => {
      if (plane !== 'agent') return next(plane, body);
      const { code, data } = body;
      return { code, data };
    },
  },
} as const satisfies FaultDef;
