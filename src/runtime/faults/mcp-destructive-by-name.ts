import { deletesByName } from '../../protocol/mcp-binding.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-destructive-by-name',
  clauses: ['MCP.annotations.high-risk-destructive'],
  description: 'destructiveHint comes from the tool name alone: a high-risk write whose name does not say delete is annotated non-destructive.',
  hooks: {
    mcpAnnotations: (next) => (tool, write) => {
      const a = next(tool, write);
      return a && { ...a, destructiveHint: write && deletesByName(tool.name) };
    },
  },
} as const satisfies FaultDef;
