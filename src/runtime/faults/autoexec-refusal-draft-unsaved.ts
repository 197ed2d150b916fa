import { isObject } from '../errors.js';
import type { FaultDef } from './fault.js';
import { isRefusal, reshapeReply } from './reply-data.js';

export const fault = {
  name: 'autoexec-refusal-draft-unsaved',
  clauses: ['AUTOEXEC.refusal.creates-draft'],
  description: 'An auto-execute refusal answers with a draft that was never kept: its id names no draft.',
  hooks: reshapeReply({ agent: ['POST /actions'] }, (d) => (isRefusal(d) && isObject(d.draft) ? { ...d, draft: { ...d.draft, id: `${String(d.draft.id)}_unsaved` } } : undefined)),
} as const satisfies FaultDef;
