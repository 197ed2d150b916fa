import { header } from '../hooks.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'tenant-trust-client-org',
  clauses: ['TENANT.client-ids.header', 'TENANT.client-ids.query', 'TENANT.server-side', 'FUZZ.abuse.cross-tenant'],
  description: "An x-org-id header or orgId query parameter overrides the app's tenant.",
  hooks: {
    requestTenant: () => (app, req, query) => (header(req, 'x-org-id') ?? query.get('orgId')) || app.org_id,
  },
} as const satisfies FaultDef;
