import { issue } from '../errors.js';
import { hasNumericOffset } from '../policy.js';
import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'expiry-utc-only',
  description: 'The admin plane takes a key expiresAt or an auto-execute expires_at in UTC ("…Z") only: one written with a numeric offset ("…+00:00") is refused with 400 common.validation.',
  allowedBy: 'Brief section 3 and 7 name expiresAt / expires_at without fixing a timestamp form; refusing one form of it is ordinary input validation (section 4: 400 common.validation).',
  hooks: {
    expiryIssues: (next) => (expiresAt, path, windowEnabled) => [
      ...(typeof expiresAt === 'string' && hasNumericOffset(expiresAt) ? [issue(path, `${path.at(-1)} must be a UTC time ending in Z`, 'invalid_date')] : []),
      ...next(expiresAt, path, windowEnabled),
    ],
  },
};
