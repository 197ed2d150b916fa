import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'plain-content-type',
  description: 'Responses carry Content-Type application/json without a charset parameter.',
  allowedBy: 'Brief section 4: "Content-Type application/json on every response, errors included" (JSON is UTF-8 by definition; the charset parameter is optional).',
  hooks: {
    contentType: () => () => 'application/json',
  },
};
