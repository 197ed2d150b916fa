import type { FaultDef } from './fault.js';

const NOTHING: Readonly<Record<string, unknown>> = Object.freeze({});

export const fault = {
  name: 'abac-redaction-skipped-with-dates',
  clauses: ['ABAC.data.redact-sensitive'],
  description: 'allow_sensitive_fields:false is not applied to a read that names a bound of its date window: sensitive fields are shown there (a read without one is redacted).',
  hooks: {
    redactions: (next) => (domain, page, dated) => (dated ? NOTHING : next(domain, page, dated)),
  },
} as const satisfies FaultDef;
