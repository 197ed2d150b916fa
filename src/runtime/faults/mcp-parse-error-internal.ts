import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-parse-error-internal',
  clauses: ['MCP.error.parse-32700'],
  description: 'A body that is not JSON on the MCP endpoint is answered as an internal error (HTTP 500, -32603) instead of a parse error (HTTP 400, -32700).',
  hooks: {
    mcpUnparsableBody: () => () => ({ status: 500, code: -32603 }),
  },
} as const satisfies FaultDef;
