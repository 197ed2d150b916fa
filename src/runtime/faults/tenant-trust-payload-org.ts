import type { FaultDef } from './fault.js';

/** The org_id (or orgId) a request body's payload claims, if any. */
function claimedOrg(body: string | Uint8Array | undefined): string | undefined {
  if (body === undefined) return undefined;
  try {
    const payload = (JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8')) as { payload?: Record<string, unknown> })?.payload;
    const org = payload?.org_id ?? payload?.orgId;
    return typeof org === 'string' && org !== '' ? org : undefined;
  } catch {
    return undefined;
  }
}

export const fault = {
  name: 'tenant-trust-payload-org',
  clauses: ['TENANT.client-ids.payload'],
  description: "An org_id or orgId in a write's payload overrides the app's tenant.",
  hooks: {
    requestTenant: (next) => (app, req, query) => claimedOrg(req.body) ?? next(app, req, query),
  },
} as const satisfies FaultDef;
