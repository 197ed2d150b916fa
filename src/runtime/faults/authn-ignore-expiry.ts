import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-ignore-expiry',
  breaks: 'AUTHN-005',
  description: 'Key expiry is never checked, so an expired key keeps working.',
  hooks: {
    keyExpired: () => () => false,
  },
} as const satisfies FaultDef;
