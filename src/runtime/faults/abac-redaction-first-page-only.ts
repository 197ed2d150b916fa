import type { FaultDef } from './fault.js';

const NOTHING: Readonly<Record<string, unknown>> = Object.freeze({});

export const fault = {
  name: 'abac-redaction-first-page-only',
  clauses: ['ABAC.data.redact-sensitive'],
  description: 'allow_sensitive_fields:false redacts the first page of a paged read only: from page 2 on, sensitive fields are shown.',
  hooks: {
    redactions: (next) => (domain, page) => (page !== undefined && page > 1 ? NOTHING : next(domain, page)),
  },
} as const satisfies FaultDef;
