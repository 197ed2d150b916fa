import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authz-read-no-scope',
  clauses: ['AUTHZ.scope.read'],
  description: 'The container read (GET /transactions in the demo) skips its scope check.',
  hooks: {
    requiredScopes: (next) => (tool, read) => (read?.containerParam !== undefined ? [] : next(tool, read)),
  },
} as const satisfies FaultDef;
