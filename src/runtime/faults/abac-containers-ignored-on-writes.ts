import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-containers-ignored-on-writes',
  clauses: ['ABAC.data.containers.write'],
  description: 'The container allow-list of the data policy binds reads only: a preflight or write into a container it does not allow is admitted.',
  hooks: {
    allowedContainers: (next) => (data, at) => (at === 'preflight' || at === 'write' ? null : next(data, at)),
  },
} as const satisfies FaultDef;
