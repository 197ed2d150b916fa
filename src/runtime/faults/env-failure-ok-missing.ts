import { errorBody } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-failure-ok-missing',
  clauses: ['ENV.failure.ok'],
  description: 'Error replies carry {code, message} without ok: false.',
  hooks: errorBody(({ ok: _ok, ...rest }) => rest),
} as const satisfies FaultDef;
