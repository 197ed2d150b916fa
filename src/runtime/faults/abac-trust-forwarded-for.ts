import { header } from '../hooks.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-trust-forwarded-for',
  clauses: ['ABAC.ip.outside-denied'],
  bindings: ['http'],
  description: 'The client IP is taken from a client-supplied X-Forwarded-For header when one is present.',
  hooks: {
    clientIp: () => (req) => header(req, 'x-forwarded-for')?.split(',')[0].trim() || req.clientIp,
  },
} as const satisfies FaultDef;
