import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'redaction-marker',
  description: 'Every field redacted by allow_sensitive_fields:false is the string "[redacted]" (notes too), instead of the domain\'s redacted value (null for notes).',
  allowedBy: 'Brief section 6: "allow_sensitive_fields:false redacts sensitive fields"; the redacted representation is not specified.',
  hooks: {
    redactions: (next) => (domain) => Object.fromEntries(Object.keys(next(domain)).map((field) => [field, '[redacted]'])),
  },
};
