import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-reject-auto-executed',
  clauses: ['WRITE.final.reject-confirmed'],
  description: 'A confirmed draft whose request asked to execute (an auto-executed one) can be rejected: 200, canceled although it ran; a draft confirmed by approval alone answers 400 agent.draft_already_final.',
  hooks: {
    reviewable: (next) => (status, decision, tool, draft) => next(status, decision, tool, draft) || (decision === 'reject' && status === 'confirmed' && draft?.auto_execute_requested === true),
  },
} as const satisfies FaultDef;
