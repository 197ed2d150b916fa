import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-missing-auto-execute',
  clauses: ['ENV.admin.auto-execute'],
  description: 'The admin plane does not serve PATCH /apps/{id}/auto-execute: it answers 404 like an unknown path.',
  hooks: unserved('admin', 'PATCH /apps/:id/auto-execute'),
} as const satisfies FaultDef;
