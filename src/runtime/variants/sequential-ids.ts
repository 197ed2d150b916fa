import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'sequential-ids',
  description: 'Apps, keys, preflights, drafts, executions and audit events are numbered by a counter per kind, zero-padded to the usual 16 characters (drf_0000000000000031), as a database sequence numbers rows: the id next to one issued is often issued too. Domain rows keep random ids.',
  allowedBy: 'Brief section 2 names each record by its prefix only (app_…, key_…, pfl_…, drf_…); the rest of an id has no form the brief fixes, and a sequence number is one.',
  hooks: {
    // One counter per kind and runtime: the override is composed once per runtime.
    recordId: () => {
      const issued = new Map<string, number>();
      return (prefix) => {
        const n = (issued.get(prefix) ?? 0) + 1;
        issued.set(prefix, n);
        return `${prefix}_${String(n).padStart(16, '0')}`;
      };
    },
  },
};
