import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-body-before-token',
  clauses: ['AUTHN.order.before-handler'],
  bindings: ['http'],
  description: 'An agent request body is parsed and refused (400 common.validation) before the missing token is noticed.',
  hooks: {
    parsesBodyBeforeAuthentication: () => () => true,
  },
} as const satisfies FaultDef;
