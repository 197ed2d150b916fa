import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'redaction-marker',
  description: 'Sensitive fields redacted by allow_sensitive_fields:false are replaced by the string "[redacted]" instead of null.',
  allowedBy: 'Brief section 6: "allow_sensitive_fields:false redacts sensitive fields"; the redacted representation is not specified.',
};
