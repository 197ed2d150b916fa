import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'notes-only-redaction',
  description: 'allow_sensitive_fields:false redacts only a transaction\'s notes (null); the title is returned as is.',
  allowedBy: 'Brief section 6: "allow_sensitive_fields:false redacts sensitive fields"; which fields a domain counts as sensitive is the domain\'s call (the authors\' demo domain also redacts the title).',
  hooks: {
    // The domain's other sensitive field (the demo's title) is not redacted.
    redactions: (next) => (domain) => Object.fromEntries(Object.entries(next(domain)).filter(([field]) => field !== 'title')),
  },
};
