import type { Admission } from '../admission.js';
import type { FaultDef } from './fault.js';

const ADMITTED: Admission = Object.freeze({ ok: true, resetSeconds: 1 });

export const fault = {
  name: 'adm-no-limit',
  clauses: ['ADM.refused.code', 'ADM.order.before-handler'],
  description: 'Admission control is off: no request is ever rate limited.',
  hooks: {
    admit: () => () => ADMITTED,
  },
} as const satisfies FaultDef;
