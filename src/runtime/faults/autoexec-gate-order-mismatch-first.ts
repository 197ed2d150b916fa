import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-gate-order-mismatch-first',
  clauses: ['AUTOEXEC.high_risk.gate-order'],
  description:
    'A high-risk execute compares its preflightHash right after allowed_actions, before the justification, idempotencyKey and preflightHash-present gates: ' +
    'a wrong hash without a justification answers preflight_mismatch.',
  hooks: {
    autoExecuteGates: (next) => (gates, tool) => {
      const g = [...next(gates, tool)];
      if (tool.risk !== 'high') return g;
      const i = g.findIndex((x) => x.name === 'preflight-match');
      const j = g.findIndex((x) => x.name === 'allowed_actions');
      if (i < 0 || j < 0) return g;
      const [m] = g.splice(i, 1);
      g.splice(j + 1, 0, m!);
      return g;
    },
  },
} as const satisfies FaultDef;
