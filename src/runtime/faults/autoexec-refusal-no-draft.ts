import type { FaultDef } from './fault.js';
import { isRefusal, reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'autoexec-refusal-no-draft',
  clauses: ['AUTOEXEC.refusal.draft'],
  description: 'An auto-execute refusal leaves out the draft it created.',
  hooks: reshapeReply({ agent: ['POST /actions'] }, (d) => (isRefusal(d) ? without(d, 'draft') : undefined)),
} as const satisfies FaultDef;
