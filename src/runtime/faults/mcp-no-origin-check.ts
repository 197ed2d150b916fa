import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-no-origin-check',
  clauses: ['MCP.origin.checked'],
  description: 'The MCP endpoint accepts any Origin header, so a web page can drive it from the user\'s browser.',
  hooks: {
    mcpOriginAllowed: () => () => true,
  },
} as const satisfies FaultDef;
