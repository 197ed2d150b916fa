import type { FaultDef } from './fault.js';
import { isExecuted, reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'autoexec-executed-no-execution',
  clauses: ['AUTOEXEC.executed.execution'],
  description: 'An auto-execution reply leaves out the execution it ran.',
  hooks: reshapeReply({ agent: ['POST /actions'] }, (d) => (isExecuted(d) ? without(d, 'execution') : undefined)),
} as const satisfies FaultDef;
