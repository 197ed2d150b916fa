import type { FaultDef } from './fault.js';

export const fault = {
  name: 'mcp-session-evicts-others',
  clauses: ['MCP.session.no-cross-key-eviction'],
  description: "The MCP endpoint caps its sessions only in all and, when full, evicts the oldest idle session of any key or tenant: another tenant's key that opens sessions closes the victim's.",
  hooks: {
    mcpSessionRoom: () => (held, _keyId, _orgId, quotas) => {
      if (held.length < quotas.total) return { admit: true };
      const oldest = held.find((s) => s.idle);
      return oldest ? { admit: true, evict: oldest.id } : { admit: false };
    },
  },
} as const satisfies FaultDef;
