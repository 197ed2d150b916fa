import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'past-expiry-refused',
  description: 'The admin plane refuses a key expiresAt or an auto-execute expires_at that is already past with 400 common.validation.',
  allowedBy: 'Brief section 3 names expiresAt / expires_at without requiring past values to be accepted; refusing a credential or window born expired is ordinary input validation.',
};
