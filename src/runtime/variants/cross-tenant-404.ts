import { ApiError } from '../errors.js';
import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'cross-tenant-404',
  description: 'A read or write aimed at another tenant\'s resource is answered 404 agent.not_found (the resource does not exist for this tenant) instead of 403 agent.policy_denied.',
  allowedBy: 'TENANT-001/003 accept "denied (403 policy_denied or 404)"; brief section 6 orders "resource exists (404 not_found)" before the tenant boundary, and a resource outside the tenant need not be admitted to exist.',
  hooks: {
    crossTenant: () => () => new ApiError('agent.not_found', 'Resource not found'),
  },
};
