import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-draft-missing-not-found',
  clauses: ['WRITE.draft-isolation.missing', 'WRITE.draft-isolation.other-app'],
  description: 'A draft id that names no draft (or another app\'s) answers 404 agent.not_found instead of agent.draft_not_found.',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      return reply.body.code === 'agent.draft_not_found' ? { ...reply, body: { ...reply.body, code: 'agent.not_found' } } : reply;
    },
  },
} as const satisfies FaultDef;
