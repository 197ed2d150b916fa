import { ApiError } from '../errors.js';
import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'method-404',
  description: 'A known path called with an unsupported method is answered 404 agent.not_found (no 405, no Allow header).',
  allowedBy: 'Brief section 5 registry: "agent.not_found [404]"; answering 405 Method Not Allowed is the reference runtime\'s choice, not a requirement.',
  hooks: {
    wrongMethod: () => () => new ApiError('agent.not_found', 'Route not found'),
  },
};
