import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-binding-after-draft',
  clauses: ['PREFLIGHT.binding.app', 'PREFLIGHT.binding.key', 'PREFLIGHT.binding.actor'],
  description:
    'A preflightId presented by another app or key is refused with the right code (400 agent.preflight_not_found), but only after its draft was stored.',
  hooks: {
    preflightBindingAfterDraft: () => () => true,
  },
} as const satisfies FaultDef;
