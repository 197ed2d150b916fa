import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'plain-audit-query',
  description: 'GET /audit ignores the appId and limit query parameters and returns the newest 200 events of all apps; clients filter.',
  allowedBy: 'Brief section 3 lists "GET /audit" with no query parameters; fixture admin-audit.json is a plain GET /audit returning {items} newest first.',
  hooks: {
    auditQuery: () => () => ({ limit: 200 }),
  },
};
