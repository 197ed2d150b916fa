import { errorBody } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-failure-message-missing',
  clauses: ['ENV.failure.message'],
  description: 'Error replies carry no human-readable message.',
  hooks: errorBody(({ message: _message, ...rest }) => rest),
} as const satisfies FaultDef;
