import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'null-preflight-hash-on-create',
  description: 'A draft of a low/medium-risk tool created without a client preflightHash stores preflight_hash: null.',
  allowedBy: 'Fixture action-create-draft.json (transaction.create draft with "preflight_hash": null); high-risk-without-preflight.json shows the hash is still computed for high-risk tools.',
  hooks: {
    draftPreflightHash: (next) => (requested, recomputed, tool) => (requested === null && tool.risk !== 'high' ? null : next(requested, recomputed, tool)),
  },
};
