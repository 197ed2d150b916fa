import { hasNumericOffset } from '../policy.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-expiry-offset-ignored',
  clauses: ['AUTOEXEC.writes.expires_at', 'AUTOEXEC.high_risk.expires_at'],
  description: 'An auto-execute window (either tier) whose expires_at is written with a numeric UTC offset ("…+00:00") never expires; the same instant written with "Z" does.',
  hooks: {
    windowExpired: (next) => (w) => !(w.expires_at !== null && hasNumericOffset(w.expires_at)) && next(w),
  },
} as const satisfies FaultDef;
