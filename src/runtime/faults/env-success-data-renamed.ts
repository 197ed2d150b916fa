import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-success-data-renamed',
  clauses: ['ENV.success.data'],
  description: 'Agent-plane success replies carry their payload as result instead of data.',
  hooks: {
    successEnvelope: (next) => (plane, body) => (plane === 'agent' ? { ok: body.ok, code: body.code, result: body.data } : next(plane, body)),
  },
} as const satisfies FaultDef;
