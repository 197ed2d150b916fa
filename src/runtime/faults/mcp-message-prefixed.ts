import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-message-prefixed',
  clauses: ['MCP.error.message-as-is'],
  description: 'A protocol-level refusal\'s error.message carries a "MCP error -32010: " prefix before the OpenPort message (which SDK clients prefix again), instead of the message as is.',
  hooks: {
    mcpRefusalMessage: () => (code, message) => `MCP error ${code}: ${message}`,
  },
} as const satisfies FaultDef;
