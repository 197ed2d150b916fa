import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-refusal-text-without-issues',
  clauses: ['MCP.refusal.text-issues'],
  description: 'A refusal\'s text is only "<code>: <message>": the field-level validation issues are in structuredContent alone, which the model does not read.',
  hooks: {
    mcpRefusalTextIssues: () => () => false,
  },
} as const satisfies FaultDef;
