import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-no-annotations',
  clauses: ['MCP.annotations.explicit'],
  description: 'MCP tools carry no annotations (MCP then defaults every tool to destructive and not read-only).',
  hooks: {
    mcpAnnotations: () => () => undefined,
  },
} as const satisfies FaultDef;
