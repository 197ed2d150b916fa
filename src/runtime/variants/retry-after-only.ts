import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'retry-after-only',
  description: 'A 429 carries Retry-After only, without the RateLimit and RateLimit-Policy fields.',
  allowedBy: 'Brief section 9: "servers SHOULD send Retry-After (delta-seconds) and MAY send the IETF RateLimit/RateLimit-Policy fields".',
  hooks: {
    rateLimitHeaders: (next) => (a) => {
      const headers = next(a);
      delete headers.ratelimit;
      delete headers['ratelimit-policy'];
      return headers;
    },
  },
};
