import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-no-bearer-challenge',
  clauses: ['MCP.refusal.bearer-challenge'],
  description: 'A 401 of the MCP endpoint carries no WWW-Authenticate challenge.',
  hooks: {
    mcpChallenge: () => () => undefined,
  },
} as const satisfies FaultDef;
