import type { FaultDef } from './fault.js';
import { isRefusal, reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'autoexec-refusal-no-denied-code',
  clauses: ['AUTOEXEC.refusal.autoExecuteDeniedCode'],
  description: 'An auto-execute refusal leaves out autoExecuteDeniedCode.',
  hooks: reshapeReply({ agent: ['POST /actions'] }, (d) => (isRefusal(d) ? without(d, 'autoExecuteDeniedCode') : undefined)),
} as const satisfies FaultDef;
