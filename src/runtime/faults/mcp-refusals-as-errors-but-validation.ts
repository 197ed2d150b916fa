import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-refusals-as-errors-but-validation',
  clauses: ['MCP.refusal.is-error'],
  description: 'Tool-level refusals other than common.validation are JSON-RPC errors (-32010) instead of isError results; a validation refusal is still a result.',
  hooks: {
    mcpRefusalCarrier: (next) => (code) => (code === 'common.validation' ? next(code) : 'error'),
  },
} as const satisfies FaultDef;
