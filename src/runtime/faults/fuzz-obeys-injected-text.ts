import type { Json } from '../errors.js';
import type { FaultDef } from './fault.js';

/** Operator-sounding text an agent can put into a request. */
const INSTRUCTION = /\bSYSTEM:|\bassistant:|IGNORE PREVIOUS INSTRUCTIONS|<\/payload>/i;

/** The free text of a write request: its justification, requestId and the payload's string values. */
function texts(body: Json | undefined): string[] {
  const payload = body?.payload && typeof body.payload === 'object' ? Object.values(body.payload as Json) : [];
  return [body?.justification, body?.requestId, ...payload].filter((v): v is string => typeof v === 'string');
}

export const fault = {
  name: 'fuzz-obeys-injected-text',
  clauses: ['FUZZ.abuse.injected-instructions'],
  description: 'A write whose free text carries an operator instruction ("SYSTEM: …") runs at once, without draft or gate.',
  hooks: {
    executionMode: (next) => (execute, forceDraft, body) => (texts(body).some((t) => INSTRUCTION.test(t)) ? 'immediate' : next(execute, forceDraft, body)),
  },
} as const satisfies FaultDef;
