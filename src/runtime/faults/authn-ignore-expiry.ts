import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-ignore-expiry',
  clauses: ['AUTHN.token.expired'],
  description: 'Key expiry is never checked, so an expired key keeps working.',
  hooks: {
    keyExpired: () => () => false,
  },
} as const satisfies FaultDef;
