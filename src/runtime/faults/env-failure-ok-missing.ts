import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-failure-ok-missing',
  clauses: ['ENV.failure.ok'],
  description: 'Error replies carry {code, message} without ok: false.',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      const { ok: _ok, ...rest } = reply.body;
      // The reply's type insists on ok: false; the defect is precisely that it is absent.
      reply.body = rest as typeof reply.body;
      return reply;
    },
  },
} as const satisfies FaultDef;
