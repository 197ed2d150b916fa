import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-refusals-as-errors',
  clauses: ['MCP.refusal.is-error'],
  description: 'Tool-level refusals are JSON-RPC errors (-32010) instead of isError results the model can read.',
  hooks: {
    mcpRefusalCarrier: () => () => 'error',
  },
} as const satisfies FaultDef;
