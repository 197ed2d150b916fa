import { ApiError } from '../errors.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-missing-token-forbidden',
  clauses: ['AUTHN.token.present'],
  description: 'A request without any token is refused with 403 agent.forbidden instead of 401 agent.token_invalid.',
  hooks: {
    missingToken: () => () => new ApiError('agent.forbidden', 'Authentication required'),
  },
} as const satisfies FaultDef;
