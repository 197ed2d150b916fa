import type { FaultDef } from './fault.js';

export const fault = {
  name: 'fuzz-crash-non-object-body',
  clauses: ['FUZZ.no-5xx.agent.json-body', 'FUZZ.no-5xx.admin.json-body'],
  description: 'A body that is valid JSON but not an object ([], "x", 42, null) crashes the handler: 500 common.internal_error on both planes.',
  hooks: {
    parseJson: (next) => (text) => {
      const value = next(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('the body is not an object');
      return value;
    },
  },
} as const satisfies FaultDef;
