import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-action-override',
  clauses: ['MCP.call.tool-is-action'],
  description: 'arguments.action overrides the tool that was called (a non-destructive tool can run the permanent delete).',
  hooks: {
    mcpCallAction: () => (tool, argumentsAction) => (typeof argumentsAction === 'string' ? argumentsAction : tool),
  },
} as const satisfies FaultDef;
