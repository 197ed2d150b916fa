import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-orgs-ignored-on-writes',
  clauses: ['ABAC.data.orgs.write'],
  description: 'allowed_org_ids binds reads only: a preflight or write of an app whose tenant it does not allow is admitted.',
  hooks: {
    allowedOrgs: (next) => (data, at) => (at === 'preflight' || at === 'write' ? null : next(data, at)),
  },
} as const satisfies FaultDef;
