import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-malformed-json-500',
  clauses: ['FUZZ.no-5xx.agent.json-body', 'FUZZ.no-5xx.admin.json-body'],
  description: 'A body that is not valid JSON makes the parser throw; the error handler answers 500 common.internal_error.',
  hooks: {
    // The parser's SyntaxError is not turned into a refusal: the dispatcher's catch-all answers it.
    parseJson: () => (text) => JSON.parse(text) as unknown,
  },
} as const satisfies FaultDef;
