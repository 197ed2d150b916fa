import { errorBody } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-failure-code-missing',
  clauses: ['ENV.failure.code'],
  description: 'Error replies carry the reason code as error instead of code.',
  hooks: errorBody(({ code, ...rest }) => ({ ...rest, error: code })),
} as const satisfies FaultDef;
