import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-no-review-path',
  clauses: ['AUTOEXEC.refusal.review_path'],
  description: 'An auto-execute refusal (and any draft reply) leaves out review_path.',
  hooks: {
    reviewPath: () => () => null,
  },
} as const satisfies FaultDef;
