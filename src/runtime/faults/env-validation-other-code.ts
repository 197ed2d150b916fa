import { errorBody } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-validation-other-code',
  clauses: ['ENV.validation.code'],
  description: 'Validation failures are sent as 400 agent.action_invalid instead of 400 common.validation.',
  hooks: errorBody((body) => (body.code === 'common.validation' ? { ...body, code: 'agent.action_invalid' } : body)),
} as const satisfies FaultDef;
