import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-no-redaction',
  breaks: 'ABAC-005',
  description: 'allow_sensitive_fields:false does not redact sensitive fields.',
} as const satisfies FaultDef;
