import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-token-in-query',
  clauses: ['MCP.credential.header-only'],
  description: 'The MCP endpoint takes ?access_token= as the credential when no Authorization header is sent.',
  hooks: {
    mcpCredential: (next) => (authorization, query) => {
      const fromQuery = query.get('access_token');
      return authorization === undefined && fromQuery ? `Bearer ${fromQuery}` : next(authorization, query);
    },
  },
} as const satisfies FaultDef;
