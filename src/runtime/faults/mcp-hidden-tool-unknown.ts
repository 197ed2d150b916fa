import { issue, validationError } from '../errors.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-hidden-tool-unknown',
  clauses: ['MCP.call.hidden-tool-code'],
  description: 'A call of a tool the key cannot see is routed by the key\'s manifest and refused as common.validation (unknown tool), not as the HTTP binding refuses it (agent.scope_denied, audited).',
  hooks: {
    mcpUnlistedToolRefusal: () => (tool) => validationError([issue(['name'], `Unknown tool: ${tool.slice(0, 100)}`, 'invalid_enum_value')]),
  },
} as const satisfies FaultDef;
