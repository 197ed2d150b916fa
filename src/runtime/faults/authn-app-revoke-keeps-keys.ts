import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-app-revoke-keeps-keys',
  clauses: ['AUTHN.app-revoke.revokes-keys', 'AUTHN.app.active'],
  description: 'Revoking an app leaves its keys working.',
  hooks: {
    appRevocationRevokesKeys: () => () => false,
  },
} as const satisfies FaultDef;
