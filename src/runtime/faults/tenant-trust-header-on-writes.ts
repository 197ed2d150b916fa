import { header } from '../hooks.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'tenant-trust-header-on-writes',
  clauses: ['TENANT.client-ids.header'],
  // Raw HTTP requests: an MCP tool call carries neither a header of its own nor a body member beside the payload.
  bindings: ['http'],
  description: "On POST routes (preflight, actions) an x-org-id header overrides the app's tenant; reads ignore it.",
  hooks: {
    requestTenant: (next) => (app, req, query) => (req.method === 'POST' ? header(req, 'x-org-id') : undefined) || next(app, req, query),
  },
} as const satisfies FaultDef;
