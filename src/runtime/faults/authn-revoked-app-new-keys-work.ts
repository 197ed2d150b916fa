import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-revoked-app-new-keys-work',
  clauses: ['AUTHN.app.active'],
  description: 'Revoking an app revokes the keys it has, but the admin plane still issues keys to it and step 4 (owning app active) is never checked: a key issued after the revocation works.',
  hooks: {
    keyIssuable: () => () => true,
    appRevocationRevokesKeys: (next) => (key) => (key === undefined ? next() : false),
  },
} as const satisfies FaultDef;
