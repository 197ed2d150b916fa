import { ApiError } from '../errors.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-parse-error-no-issues',
  clauses: ['ENV.validation.issues'],
  description: 'A body that is not valid JSON is 400 common.validation without details.issues[]; bodies that parse are refused correctly.',
  hooks: {
    parseJson: () => (text) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new ApiError('common.validation', 'Malformed JSON body');
      }
    },
  },
} as const satisfies FaultDef;
