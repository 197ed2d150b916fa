import type { VariantDef } from './variant.js';

const PAGE = 50;
/** An event's place in the listing: its time to the second, then its id (events of one second in id order). */
const keyOf = (e: { created_at?: unknown; id?: unknown }) => `${String(e.created_at).slice(0, 19)}|${String(e.id)}`;

export const variant: VariantDef = {
  name: 'audit-keyset-seconds',
  description: 'GET /audit ignores appId and limit and lists every event of all apps oldest first by time to the second, events of one second in id order, 50 a page; data.nextCursor is the key of the page\'s last event (the next page starts after it).',
  allowedBy: 'Brief section 3 lists "GET /audit" with no query parameters and says nothing of its order or paging: a store keyed by (second, id) pages this way, and an event made later may sort before events of its second already listed.',
  hooks: {
    auditListing: () => (query, _filter, list) => {
      const all = list({ limit: Number.MAX_SAFE_INTEGER }).map((e) => ({ e, key: keyOf(e) }));
      all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const after = query.get('cursor');
      const from = after === null ? 0 : ((i) => (i < 0 ? all.length : i))(all.findIndex((x) => x.key > after));
      const page = all.slice(from, from + PAGE);
      return { items: page.map((x) => x.e), ...(from + PAGE < all.length ? { nextCursor: page.at(-1)!.key } : {}) };
    },
  },
};
