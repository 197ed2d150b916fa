import type { FaultDef } from './fault.js';

export const fault = {
  name: 'tenant-trust-client-org',
  breaks: 'TENANT-002',
  description: "An x-org-id header or orgId query parameter overrides the app's tenant.",
} as const satisfies FaultDef;
