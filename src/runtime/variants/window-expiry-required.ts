import { issue } from '../errors.js';
import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'window-expiry-required',
  description: 'Enabling an auto-execute window without expires_at is refused with 400 common.validation: every window must end.',
  allowedBy: 'Brief section 7: "Time-bounded auto-execution"; section 11 release gate: "auto-execute windows bounded in time".',
  hooks: {
    expiryIssues: (next) => (expiresAt, path, windowEnabled) => {
      const issues = next(expiresAt, path, windowEnabled);
      const unbounded = windowEnabled === true && (expiresAt === undefined || expiresAt === null);
      return unbounded ? [...issues, issue(path, 'an enabled window needs expires_at', 'invalid_type')] : issues;
    },
  },
};
