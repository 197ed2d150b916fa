import type { CheckDef } from '../../src/kit/check.js';
import { describe, fail } from '../../src/kit/expect.js';
import { expectNoDraft, presentElsewhere } from './binding.js';

/**
 * The binding itself (§7: "it is bound to app + key + actor", a MUST), whatever the refusal says: the code of
 * the refusal is PREFLIGHT-005's, a SHOULD.
 */
export const preflight007: CheckDef = {
  id: 'PREFLIGHT-007',
  safety: 'draft',
  needs: ['admin'],
  description:
    "App A's preflightId of every write sample, presented by another app of the same tenant (acting as another user) and by a second key of app A, as a draft and with execute:true alike, is refused " +
    "(not a success) and drafts nothing; the key that preflighted the create can draft from its preflightId (the control).",
  async run(ctx) {
    await presentElsewhere(ctx, (p) => {
      if (p.ex.response.status >= 200 && p.ex.response.status < 300) {
        fail(`a preflightId presented by ${p.who} was accepted`, 'a refusal: the preflightId is bound to app + key + actor (§7)', describe(p.ex), p.ex);
      }
      expectNoDraft(p);
    });
  },
};
