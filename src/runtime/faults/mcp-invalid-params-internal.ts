import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-invalid-params-internal',
  clauses: ['MCP.error.params-32602'],
  description: 'Params a request\'s schema rejects (a tools/call whose name is not a string) are answered -32603 (internal error) instead of -32602 (invalid params).',
  hooks: {
    mcpInvalidParamsCode: () => () => -32603,
  },
} as const satisfies FaultDef;
