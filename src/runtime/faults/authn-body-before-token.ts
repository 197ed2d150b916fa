import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-body-before-token',
  clauses: ['AUTHN.order.before-handler'],
  description: 'An agent request body is parsed and refused (HTTP: 400 common.validation; MCP endpoint: 400 JSON-RPC parse error) before the missing token is noticed.',
  hooks: {
    parsesBodyBeforeAuthentication: () => () => true,
  },
} as const satisfies FaultDef;
