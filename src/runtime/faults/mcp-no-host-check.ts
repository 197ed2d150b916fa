import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-no-host-check',
  clauses: ['MCP.host.checked'],
  description: 'The MCP endpoint accepts any Host header (no DNS-rebinding protection).',
  hooks: {
    mcpHostAllowed: () => () => true,
  },
} as const satisfies FaultDef;
