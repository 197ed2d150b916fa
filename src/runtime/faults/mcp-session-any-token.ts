import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-session-any-token',
  clauses: ['MCP.session.token-bound'],
  description: 'An MCP session answers any valid token, acting as the key that opened it.',
  hooks: {
    mcpSessionServes: () => () => true,
  },
} as const satisfies FaultDef;
