import { issue, validationError } from '../errors.js';
import type { VariantDef } from './variant.js';

/** The service users this variant's directory knows: none of the names a client makes up. */
const DIRECTORY = /^svc_directory_/;

export const variant: VariantDef = {
  name: 'service-users-checked',
  description: "POST /apps naming a service_user_id its directory does not know is refused with 400 common.validation (issue path service_user_id); without one, the app gets a service user of the server's choosing.",
  allowedBy: 'Brief section 3 lists service_user_id as optional (service_user_id?) in POST /apps; refusing a user id the tenant does not have is ordinary input validation.',
  hooks: {
    requestBody: (next) => (route, body) => {
      if (route === 'POST /apps' && typeof body.service_user_id === 'string' && !DIRECTORY.test(body.service_user_id)) {
        throw validationError([issue(['service_user_id'], 'service_user_id names no user of this tenant', 'unknown_user')]);
      }
      return next(route, body);
    },
  },
};
