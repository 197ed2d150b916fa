import { ApiError } from '../errors.js';
import { header } from '../hooks.js';
import type { VariantDef } from './variant.js';

/** What an admin id may look like: an identifier, never markup or control characters. */
const ADMIN_ID = /^[A-Za-z0-9_.@:-]{1,128}$/;

export const variant: VariantDef = {
  name: 'authors-admin',
  description: 'The admin plane authenticates with x-admin-user: <id> alone (no bearer), and that id is the admin attributed in audit events; a request without it, or with anything but a plain id (letters, digits, _ . @ : -, at most 128), is 401 agent.token_invalid.',
  allowedBy: 'Brief section 3: "The authors\' runtime identifies the admin with a header x-admin-user: <user id> and does no other admin authentication"; fixtures admin-*.json.',
  hooks: {
    // Two hooks: the admin credential is a scheme, what the server checks and what its clients send. Here the
    // header is the credential, so it is also the identity attributed (markup or control text is no id).
    adminAuthenticate: () => (req) => {
      const user = header(req, 'x-admin-user');
      if (!user) throw new ApiError('agent.token_invalid', 'Missing admin user');
      if (!ADMIN_ID.test(user)) throw new ApiError('agent.token_invalid', 'Invalid admin user');
      return user;
    },
    adminHeaders: () => () => ({ 'x-admin-user': 'admin_demo' }),
  },
};
