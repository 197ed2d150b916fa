import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authz-partial-scopes',
  clauses: ['AUTHZ.scope.every-required'],
  description: 'Tools with several required scopes check only their first scope.',
  hooks: {
    requiredScopes: (next) => (tool, read) => next(tool, read).slice(0, 1),
  },
} as const satisfies FaultDef;
