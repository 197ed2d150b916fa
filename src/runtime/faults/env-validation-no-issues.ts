import { errorBody } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-validation-no-issues',
  clauses: ['ENV.validation.issues'],
  description: 'Validation failures carry no details.issues[].',
  hooks: errorBody(({ details, ...rest }) => (rest.code === 'common.validation' ? rest : { ...rest, ...(details ? { details } : {}) })),
} as const satisfies FaultDef;
