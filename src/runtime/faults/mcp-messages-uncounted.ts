import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-messages-uncounted',
  clauses: ['MCP.rate-limit.every-message'],
  description: 'The MCP front counts only the messages the core serves (tool calls, tools/list): initialize, notifications and pings pass the rate limiter uncounted.',
  hooks: {
    mcpFrontMessages: () => () => 0,
  },
} as const satisfies FaultDef;
