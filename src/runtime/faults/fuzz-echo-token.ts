import { ApiError } from '../errors.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'fuzz-echo-token',
  clauses: ['ENV.no-leak.token'],
  description: 'A validation error on /actions echoes the Authorization header value in its message.',
  hooks: {
    invalidActionRequest: (next) => (issues, s) => new ApiError('common.validation', `Validation failed (authorization: ${s.authorization ?? ''})`, next(issues, s).details),
  },
} as const satisfies FaultDef;
