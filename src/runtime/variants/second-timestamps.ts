import { timestampsAs } from './epoch-timestamps.js';
import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'second-timestamps',
  description: 'The timestamps of apps, keys, drafts, executions and audit events are ISO 8601 strings to the second (a store without milliseconds): an auto-execute window sent as 10:00:01.500Z is echoed as 10:00:01Z.',
  allowedBy: 'Brief sections 2 and 10 name created_at and expires_at without a type or a precision.',
  hooks: timestampsAs((ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')),
};
