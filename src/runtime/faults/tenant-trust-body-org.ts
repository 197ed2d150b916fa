import type { FaultDef } from './fault.js';

/** The orgId (or org_id) a request body claims beside action and payload, if any. */
function claimedOrg(body: string | Uint8Array | undefined): string | undefined {
  if (body === undefined) return undefined;
  try {
    const parsed = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8')) as Record<string, unknown> | null;
    const org = parsed?.orgId ?? parsed?.org_id;
    return typeof org === 'string' && org !== '' ? org : undefined;
  } catch {
    return undefined;
  }
}

export const fault = {
  name: 'tenant-trust-body-org',
  clauses: ['TENANT.client-ids.payload'],
  // Raw HTTP requests: an MCP tool call carries neither a header of its own nor a body member beside the payload.
  bindings: ['http'],
  description: "An orgId or org_id member of a POST body (beside action and payload) overrides the app's tenant.",
  hooks: {
    requestTenant: (next) => (app, req, query) => claimedOrg(req.body) ?? next(app, req, query),
  },
} as const satisfies FaultDef;
