import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-unknown-tool-internal',
  clauses: ['MCP.call.unknown-tool-32602'],
  description: 'A tools/call naming no tool of the server is answered -32603 (internal error) instead of -32602, MCP\'s unknown-tool error.',
  hooks: {
    mcpUnknownToolCode: () => () => -32603,
  },
} as const satisfies FaultDef;
