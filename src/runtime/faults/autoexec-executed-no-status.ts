import type { FaultDef } from './fault.js';
import { isExecuted, reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'autoexec-executed-no-status',
  clauses: ['AUTOEXEC.executed.status'],
  description: 'An auto-execution reply leaves out status:"executed".',
  hooks: reshapeReply({ agent: ['POST /actions'] }, (d) => (isExecuted(d) ? without(d, 'status') : undefined)),
} as const satisfies FaultDef;
