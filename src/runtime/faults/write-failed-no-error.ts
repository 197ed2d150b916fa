import { isObject } from '../errors.js';
import type { FaultDef } from './fault.js';
import { DRAFT_REPLIES, reshapeReply } from './reply-data.js';

export const fault = {
  name: 'write-failed-no-error',
  clauses: ['WRITE.execution.result-or-error'],
  description: 'A failed execution is shown without its error.',
  hooks: reshapeReply(DRAFT_REPLIES, (d) => {
    if (!isObject(d.execution) || d.execution.status !== 'failed') return undefined;
    delete d.execution.error;
    return d;
  }),
} as const satisfies FaultDef;
