import type { FaultDef } from './fault.js';

const NOTHING: Readonly<Record<string, unknown>> = Object.freeze({});

export const fault = {
  name: 'abac-no-redaction',
  clauses: ['ABAC.data.redact-sensitive'],
  description: 'allow_sensitive_fields:false does not redact sensitive fields.',
  hooks: {
    redactions: () => () => NOTHING,
  },
} as const satisfies FaultDef;
