import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-cached',
  clauses: ['WITNESS.witness.tracks-version'],
  description: 'The State Witness hash of a resource is computed once and cached: later changes of the resource never change it.',
  hooks: {
    witnessHash: (next) => {
      const cache = new Map<string, string>();
      return (witness) => {
        const w = witness as { resource?: unknown; id?: unknown };
        const key = `${String(w.resource)}\u0000${String(w.id)}`;
        let h = cache.get(key);
        if (h === undefined) cache.set(key, (h = next(witness)));
        return h;
      };
    },
  },
} as const satisfies FaultDef;
