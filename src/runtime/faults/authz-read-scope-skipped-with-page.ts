import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authz-read-scope-skipped-with-page',
  clauses: ['AUTHZ.scope.read'],
  description: 'A read whose query names `page` skips its scope check (GET /transactions?ledgerId=…&page=1 answers a key without transaction.read); the same read without it is 403 scope_denied.',
  hooks: {
    requiredScopes: (next) => (tool, read, query) => (read && query?.has('page') ? [] : next(tool, read, query)),
  },
} as const satisfies FaultDef;
