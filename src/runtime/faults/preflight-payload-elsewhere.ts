import type { FaultDef } from './fault.js';
import { without } from './reply-member.js';

export const fault = {
  name: 'preflight-payload-elsewhere',
  clauses: ['PREFLIGHT.request.body'],
  description: 'POST /preflight reads its payload from a params member, so a body {action, payload} is refused as having none.',
  hooks: {
    requestBody: (next) => (route, body) => {
      const read = next(route, body);
      return route === 'POST /preflight' ? { ...without(read, 'payload'), ...(read.params === undefined ? {} : { payload: read.params }) } : read;
    },
  },
} as const satisfies FaultDef;
