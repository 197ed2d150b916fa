import type { FaultDef } from './fault.js';
import { isExecuted, reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'autoexec-executed-no-draft',
  clauses: ['AUTOEXEC.executed.draft'],
  description: 'An auto-execution reply leaves out draft:{id,status}.',
  hooks: reshapeReply({ agent: ['POST /actions'] }, (d) => (isExecuted(d) ? without(d, 'draft') : undefined)),
} as const satisfies FaultDef;
