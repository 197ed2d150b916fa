import { header } from '../hooks.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-unauth-500',
  clauses: ['ENV.internal-error.only-unexpected.admin-credentials'],
  description: 'An admin-plane request without admin credentials dereferences the missing identity and answers 500 common.internal_error.',
  hooks: {
    // The defect: the handler reads the admin identity before anything checks that there is one.
    adminAuthenticate: (next) => (req) => {
      if (header(req, 'x-admin-user') === undefined && header(req, 'authorization') === undefined) {
        throw new TypeError("Cannot read properties of undefined (reading 'id')");
      }
      return next(req);
    },
  },
} as const satisfies FaultDef;
