import { crashOnRepeatedName } from './crash.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'fuzz-repeated-query-crash',
  clauses: ['FUZZ.no-5xx.agent.query-string'],
  description: 'An agent request repeating a query parameter (?a=1&a=2) crashes the handler: 500.',
  hooks: {
    requestTenant: (next) => (app, req, query) => {
      crashOnRepeatedName(query);
      return next(app, req, query);
    },
  },
} as const satisfies FaultDef;
