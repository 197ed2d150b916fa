import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-success-code-other',
  clauses: ['ENV.success.code'],
  description: 'Agent-plane success replies carry code "success" instead of common.success.',
  hooks: {
    successEnvelope: (next) => (plane, body) => (plane === 'agent' ? { ok: body.ok, code: 'success', data: body.data } : next(plane, body)),
  },
} as const satisfies FaultDef;
