import type { FaultDef } from './fault.js';

export const fault = {
  name: 'fuzz-crash-object-id',
  clauses: ['FUZZ.no-5xx.agent.json-body'],
  description: 'A payload whose id field (a name ending in "Id": ledgerId, transactionId, ticketId) holds an object throws inside the validator; the adapter answers a raw 500 text/plain.',
  hooks: {
    payloadIssues: (next) => (act, payload) => {
      for (const [k, v] of Object.entries(payload as Record<string, unknown>)) {
        if (k.endsWith('Id') && typeof v === 'object' && v !== null && !Array.isArray(v)) throw new TypeError(`${k}.trim is not a function`);
      }
      return next(act, payload);
    },
    unexpectedError: () => (err) => {
      throw err;
    },
  },
} as const satisfies FaultDef;
