import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-app-revoke-keeps-keys',
  breaks: 'AUTHN-006',
  description: 'Revoking an app leaves its keys working.',
  hooks: {
    appRevocationRevokesKeys: () => () => false,
  },
} as const satisfies FaultDef;
