import { ApiError } from '../errors.js';
import { header } from '../hooks.js';
import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'authors-admin',
  description: 'The admin plane authenticates with x-admin-user: <id> alone (no bearer); a request without it is 401 agent.token_invalid.',
  allowedBy: 'Brief section 3: "The authors\' runtime identifies the admin with a header x-admin-user: <user id> and does no other admin authentication"; fixtures admin-*.json.',
  hooks: {
    // Two hooks: the admin credential is a scheme, what the server checks and what its clients send.
    adminAuthenticate: () => (req) => {
      if (!header(req, 'x-admin-user')) throw new ApiError('agent.token_invalid', 'Missing admin user');
    },
    adminHeaders: () => () => ({ 'x-admin-user': 'admin_demo' }),
  },
};
