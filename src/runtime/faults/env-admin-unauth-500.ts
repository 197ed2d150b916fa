import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-unauth-500',
  breaks: 'ENV-007',
  description: 'An admin-plane request without admin credentials dereferences the missing identity and answers 500 common.internal_error.',
} as const satisfies FaultDef;
