import { ApiError } from '../errors.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-query-validation-no-issues',
  clauses: ['ENV.validation.issues'],
  description: 'A read refused for its query string (a paging or date parameter) is 400 common.validation without details.issues[]; JSON bodies are refused correctly.',
  hooks: {
    invalidReadQuery: () => (issues) => new ApiError('common.validation', issues.map((i) => i.message).join('; ')),
  },
} as const satisfies FaultDef;
