import type { FaultDef } from './fault.js';
import { isRefusal, reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'autoexec-refusal-no-status',
  clauses: ['AUTOEXEC.refusal.status-draft'],
  description: 'An auto-execute refusal leaves out status:"draft".',
  hooks: reshapeReply({ agent: ['POST /actions'] }, (d) => (isRefusal(d) ? without(d, 'status') : undefined)),
} as const satisfies FaultDef;
