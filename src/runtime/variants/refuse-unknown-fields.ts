import { Checker } from '../errors.js';
import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'refuse-unknown-fields',
  description: 'A write payload with a field its tool does not define is refused with 400 common.validation (unrecognized_keys) instead of the field being dropped.',
  allowedBy: 'Brief section 4: "Validation failures: 400 common.validation with details.issues[]"; the brief lists each tool\'s payload fields and does not say whether others are ignored or refused (the authors\' runtime ignores them).',
  hooks: {
    // A field the tool does not define is a validation error instead of being dropped.
    payloadIssues: (next) => (act, payload) => {
      const c = new Checker(payload, ['payload']);
      c.only(act.fields);
      return [...next(act, payload), ...c.issues];
    },
  },
};
