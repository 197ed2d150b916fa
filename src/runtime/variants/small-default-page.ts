import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'small-default-page',
  description: 'GET /transactions without pageSize returns pages of 10 (clients page with hasMore).',
  allowedBy: 'Brief section 3: "transactions?ledgerId&startDate&endDate&page&pageSize → {items,total,page,pageSize,hasMore}; pageSize ≤ 200"; the default page size is not specified.',
  hooks: {
    defaultPageSize: () => () => 10,
  },
};
