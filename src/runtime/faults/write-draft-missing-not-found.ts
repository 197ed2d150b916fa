import type { FaultDef } from './fault.js';
import { recode } from './reply-data.js';

export const fault = {
  name: 'write-draft-missing-not-found',
  clauses: ['WRITE.draft-isolation.missing', 'WRITE.draft-isolation.other-app'],
  description: 'A draft id that names no draft (or another app\'s) answers 404 agent.not_found instead of agent.draft_not_found.',
  hooks: recode('agent.draft_not_found', 'agent.not_found'),
} as const satisfies FaultDef;
