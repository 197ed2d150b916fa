import { depthExceeds } from '../errors.js';
import type { FaultDef } from './fault.js';

const CRASH_DEPTH = 16;

export const fault = {
  name: 'fuzz-crash-deep-nesting',
  clauses: ['FUZZ.no-5xx.agent.json-body', 'ENV.internal-error.envelope'],
  description: 'A payload nested deeper than 16 levels throws inside the handler; the adapter answers a raw 500 text/plain.',
  hooks: {
    // Two hooks: the crash (a recursive walk with no depth bound, modelled as the error it throws), and the
    // missing catch-all that lets it reach the adapter, which answers like a bare framework.
    parseJson: (next) => (text) => {
      const value = next(text);
      if (depthExceeds(value, CRASH_DEPTH)) throw new RangeError('Maximum call stack size exceeded');
      return value;
    },
    unexpectedError: () => (err) => {
      throw err;
    },
  },
} as const satisfies FaultDef;
