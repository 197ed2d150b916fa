import type { FaultDef } from './fault.js';

/** How long past its expires_at a window still admits auto-executions. */
const GRACE_MS = 10 * 60_000;

export const fault = {
  name: 'autoexec-expiry-grace',
  clauses: ['AUTOEXEC.writes.expires_at', 'AUTOEXEC.high_risk.expires_at'],
  description: 'An auto-execute window (either tier) still executes for ten minutes after its expires_at; one that expired longer ago is refused.',
  hooks: {
    windowExpired: (_next, env) => (w) => w.expires_at !== null && Date.parse(w.expires_at) + GRACE_MS <= env.now(),
  },
} as const satisfies FaultDef;
