import type { FaultDef } from './fault.js';

/** The action a fingerprint (JCS of {action, payload}) was made for. */
const actionOf = (fingerprint: string): unknown => (JSON.parse(fingerprint) as { action?: unknown }).action;

export const fault = {
  name: 'idem-key-scoped-per-tool',
  clauses: ['IDEM.scope.same-app', 'IDEM.mismatch.never-runs-new'],
  description: 'Idempotency keys are scoped per (app, tool): a key already executed by one tool, re-used by another, runs the other tool as if the key were new.',
  hooks: {
    idempotency: (next) => (prior, fingerprint, tool) => (prior !== undefined && actionOf(prior.fingerprint) !== actionOf(fingerprint) ? 'proceed' : next(prior, fingerprint, tool)),
  },
} as const satisfies FaultDef;
