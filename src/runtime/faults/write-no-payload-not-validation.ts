import { ApiError } from '../errors.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-no-payload-not-validation',
  clauses: ['WRITE.actions.payload-or-preflightId'],
  description: 'POST /actions with neither payload nor preflightId answers 400 agent.action_invalid instead of 400 common.validation with its issues.',
  hooks: {
    // The runtime's own wording of that one issue (writes.ts) is how this fault recognises it.
    invalidActionRequest: (next) => (issues, s) =>
      (issues.some((i) => i.message === 'payload or preflightId is required') ? new ApiError('agent.action_invalid', 'payload required') : next(issues, s)),
  },
} as const satisfies FaultDef;
