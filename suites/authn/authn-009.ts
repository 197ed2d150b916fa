import type { CheckDef } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { codeOf, describe, fail } from '../../src/kit/expect.js';
import { timestampMs } from '../../src/protocol/schemas.js';

/** Texts no clock reads as a time: words, and a date with a 13th month. */
const NOT_TIMES = ['tomorrow', '2026-13-45T25:61:00Z'];

export const authn009: CheckDef = {
  id: 'AUTHN-009',
  safety: 'draft',
  needs: ['admin'],
  description:
    'POST /apps/{id}/keys with an expiresAt that is not a time ("tomorrow", a 13th month) is refused (400 common.validation); ' +
    'a key issued for it must show an expiry read from it, else it is a key that never expires. Keys issued are revoked at once.',
  async run(ctx) {
    const p = await ctx.persona({ name: 'authn009 expiry' });
    for (const value of NOT_TIMES) {
      const ex = await ctx.admin.createKey(p.appId, { name: 'conform unreadable expiry', expiresAt: value, refusable: true });
      const status = ex.response.status;
      if (status >= 400 && status < 500) {
        if (status !== 400 || codeOf(ex) !== 'common.validation') ctx.note(`expiresAt "${value}" refused as ${describe(ex)}`);
        continue;
      }
      const d = dataOf(ex);
      const keyId: unknown = d?.key?.id;
      try {
        if (status < 200 || status >= 300) fail(`POST /apps/{id}/keys with expiresAt "${value}" was neither refused nor answered`, 'a 400 common.validation refusal', describe(ex), ex);
        const shown: unknown = d?.key?.expires_at ?? d?.key?.expiresAt;
        if (typeof shown === 'string' && timestampMs(shown) !== undefined) {
          ctx.note(`expiresAt "${value}" was read as ${shown}`);
          continue;
        }
        const token: unknown = d?.token;
        const works = typeof token === 'string' && (await ctx.client(token).manifest()).response.status === 200;
        fail(
          `POST /apps/{id}/keys issued a key for expiresAt "${value}", which is not a time`,
          'a 400 common.validation refusal, or a key whose expiry is read from it',
          `key ${String(keyId)} with expires_at ${JSON.stringify(shown) ?? 'absent'}${works ? ', and its token authenticates: a key that never expires' : ''}`,
          ex,
        );
      } finally {
        if (typeof keyId === 'string') await ctx.admin.revokeKey(keyId).catch((e: Error) => ctx.note(`revoking key ${keyId} failed: ${e.message}`));
      }
    }
  },
};
