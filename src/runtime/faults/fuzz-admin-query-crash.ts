import { crashOnUnknownName } from './crash.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'fuzz-admin-query-crash',
  clauses: ['FUZZ.no-5xx.admin.query-string'],
  description: 'GET /audit with a query parameter it does not know (anything but appId and limit) crashes: 500.',
  hooks: {
    auditQuery: (next) => (query) => {
      crashOnUnknownName(query, ['appId', 'limit']);
      return next(query);
    },
  },
} as const satisfies FaultDef;
