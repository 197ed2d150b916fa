import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-413-envelope',
  clauses: ['MCP.error.oversized-32600'],
  description: 'A body over the server\'s cap on the MCP endpoint is answered with the HTTP binding\'s envelope (413 {ok:false,…}) instead of a JSON-RPC error -32600.',
  hooks: {
    mcpOversizeCarrier: () => () => 'envelope',
  },
} as const satisfies FaultDef;
