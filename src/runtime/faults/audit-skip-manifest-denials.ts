import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-manifest-denials',
  clauses: ['AUDIT.deny.authz'],
  description: 'A denied discovery (the manifest read over HTTP, the session open over MCP; an IP allow-list refusing the caller) leaves no audit event; denials of every other route do.',
  hooks: {
    auditEvent: (next) => (s, e) => {
      if (!(e.status === 'denied' && /manifest|mcp\.session/.test(e.action))) next(s, e);
    },
  },
} as const satisfies FaultDef;
