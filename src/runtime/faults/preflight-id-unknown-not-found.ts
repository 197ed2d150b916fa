import { ApiError } from '../errors.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-id-unknown-not-found',
  clauses: ['PREFLIGHT.id.unknown'],
  description: 'A preflightId that names no preflight answers 404 agent.not_found instead of 400 agent.preflight_not_found.',
  hooks: {
    unknownPreflight: () => () => new ApiError('agent.not_found', 'Preflight not found'),
  },
} as const satisfies FaultDef;
