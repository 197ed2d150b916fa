import type { VariantDef } from './variant.js';

const PAGE = 50;

export const variant: VariantDef = {
  name: 'audit-oldest-first-pages',
  description: 'GET /audit ignores appId and limit and lists every event of all apps oldest first, 50 a page, with data.nextCursor while more follow (the cursor is the offset of the next page).',
  allowedBy: 'Brief section 3 lists "GET /audit" with no query parameters and says nothing of its order or paging; ignoring appId is the plain-audit-query variant.',
  hooks: {
    auditListing: () => (query, _filter, list) => {
      const all = list({ limit: Number.MAX_SAFE_INTEGER }).reverse();
      const from = Math.max(0, Number.parseInt(query.get('cursor') ?? '0', 10) || 0);
      return { items: all.slice(from, from + PAGE), ...(from + PAGE < all.length ? { nextCursor: String(from + PAGE) } : {}) };
    },
  },
};
