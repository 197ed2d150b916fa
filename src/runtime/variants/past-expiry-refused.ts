import { issue } from '../errors.js';
import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'past-expiry-refused',
  description: 'The admin plane refuses a key expiresAt or an auto-execute expires_at that is already past with 400 common.validation.',
  allowedBy: 'Brief section 3 names expiresAt / expires_at without requiring past values to be accepted; refusing a credential or window born expired is ordinary input validation.',
  hooks: {
    // A key or window born expired is refused; an invalid date never gets here (the field check refuses it first).
    expiryIssues: (next, env) => (expiresAt, path, windowEnabled) => [
      ...(typeof expiresAt === 'string' && !(Date.parse(expiresAt) > env.now()) ? [issue(path, `${path.at(-1)} must be in the future`, 'too_small')] : []),
      ...next(expiresAt, path, windowEnabled),
    ],
  },
};
