import type { AuditEvent } from '../../protocol/types.js';
import type { VariantDef } from './variant.js';

const PAGE = 50;
/** An event's place in the listing: its time to the second, then its id (events of one second in id order). */
const keyOf = (e: AuditEvent) => `${String(e.created_at).slice(0, 19)}|${String(e.id)}`;

interface Keyed { e: AuditEvent; key: string }

export const variant: VariantDef = {
  name: 'audit-keyset-seconds',
  description: 'GET /audit ignores appId and limit and lists every event of all apps oldest first by time to the second, events of one second in id order, 50 a page; data.nextCursor is the key of the page\'s last event (the next page starts after it).',
  allowedBy: 'Brief section 3 lists "GET /audit" with no query parameters and says nothing of its order or paging: a store keyed by (second, id) pages this way, and an event made later may sort before events of its second already listed.',
  hooks: {
    auditListing: () => {
      // The log in key order, kept as events come (each put in its place), rebuilt when the log dropped some.
      let sorted: Keyed[] = [];
      let newest: AuditEvent | undefined;
      const place = (x: Keyed) => {
        let lo = 0;
        let hi = sorted.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (sorted[mid]!.key < x.key) lo = mid + 1;
          else hi = mid;
        }
        sorted.splice(lo, 0, x);
      };
      return (query, _filter, list) => {
        // Nothing new since the last listing (the next page of one read, usually): the order kept is the log's.
        const unchanged = newest !== undefined && list({ limit: 1 })[0] === newest;
        // Newest first: the events since the last listing come before the newest one it saw.
        const all = unchanged ? [] : list({ limit: Number.MAX_SAFE_INTEGER });
        if (!unchanged) {
          const fresh = newest === undefined ? all.length : all.indexOf(newest);
          if (fresh >= 0) for (let i = fresh - 1; i >= 0; i--) place({ e: all[i]!, key: keyOf(all[i]!) });
          if (fresh < 0 || sorted.length !== all.length) sorted = all.map((e) => ({ e, key: keyOf(e) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
          newest = all[0];
        }
        const after = query.get('cursor');
        let from = 0;
        if (after !== null) for (let hi = sorted.length; from < hi; ) {
          const mid = (from + hi) >> 1;
          if (sorted[mid]!.key <= after) from = mid + 1;
          else hi = mid;
        }
        const page = sorted.slice(from, from + PAGE);
        return { items: page.map((x) => x.e), ...(from + PAGE < sorted.length ? { nextCursor: page.at(-1)!.key } : {}) };
      };
    },
  },
};
