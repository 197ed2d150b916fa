import { issue, validationError } from '../errors.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authz-unknown-action-invalid',
  clauses: ['AUTHZ.tool-known'],
  description: 'A preflight or action naming an unknown tool is a 400 common.validation (an enum validator) instead of 400 agent.action_unknown.',
  hooks: {
    unknownAction: () => () => validationError([issue(['action'], 'action must name a known tool', 'invalid_enum_value')]),
  },
} as const satisfies FaultDef;
