import { isObject } from '../errors.js';
import type { FaultDef } from './fault.js';
import { DRAFT_REPLIES, reshapeReply } from './reply-data.js';

export const fault = {
  name: 'write-execution-no-status',
  clauses: ['WRITE.execution.status'],
  description: 'An execution is shown without its status (success|failed), wherever a reply carries one.',
  hooks: reshapeReply(DRAFT_REPLIES, (d) => {
    if (!isObject(d.execution)) return undefined;
    delete d.execution.status;
    return d;
  }),
} as const satisfies FaultDef;
