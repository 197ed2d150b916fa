import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-force-draft-ignored-with-preflight-id',
  clauses: ['AUTOEXEC.request.not-forceDraft'],
  description: 'forceDraft is ignored when the request names a preflightId instead of a payload: execute:true under an open window executes; with a payload forceDraft still drafts.',
  hooks: {
    executionMode: (next) => (execute, forceDraft, body) => next(execute, forceDraft && typeof body?.preflightId !== 'string', body),
  },
} as const satisfies FaultDef;
