import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-key-expiry-unreadable-ignored',
  clauses: ['AUTHN.key.expiry-readable'],
  description: 'POST /apps/{id}/keys issues a key without an expiry when its expiresAt is not a time ("tomorrow"), instead of refusing it.',
  hooks: {
    requestBody: (next) => (route, body) => {
      const unreadable = route === 'POST /apps/:id/keys' && typeof body.expiresAt === 'string' && Number.isNaN(Date.parse(body.expiresAt));
      return next(route, unreadable ? { ...body, expiresAt: null } : body);
    },
  },
} as const satisfies FaultDef;
