import type { CheckDef } from '../../src/kit/check.js';
import { fail } from '../../src/kit/expect.js';
import { keyFrom } from '../env/routes.js';
import { eventsDuring, summarize } from './trail.js';

/**
 * §10 lists key_id among an event's fields and asks for events that make incident analysis deterministic; it
 * does not say which events fill it. An event recording a key's creation or revocation that names no key leaves
 * "which key?" to guesswork, so each must name the key it changed (SHOULD).
 */
export const audit006: CheckDef = {
  id: 'AUDIT-006',
  safety: 'draft',
  needs: ['admin'],
  description: "A key's creation and its revocation through the admin plane each leave an audit event that names that key (key_id).",
  async run(ctx) {
    const p = await ctx.persona({ name: 'audit006 key events' });
    let keyId = '';
    const changes = [
      ['a key creation', async () => {
        const ex = await ctx.admin.createKey(p.appId, { name: `openport-conform ${ctx.checkId}` });
        keyId = keyFrom(ex)?.keyId ?? '';
        return ex;
      }],
      ['a key revocation', () => ctx.admin.revokeKey(keyId)],
    ] as const;
    for (const [what, act] of changes) {
      const named = (fresh: { key_id?: unknown }[]) => keyId !== '' && fresh.some((e) => e.key_id === keyId);
      const { ex, events } = await eventsDuring(ctx, p.appId, act, named);
      if (keyId === '') return void ctx.partial(`the admin plane answered POST /apps/{id}/keys without a key id: ${what} could not be traced to a key`);
      // No event at all is AUDIT-005's finding; an event that does not name the key is this one's.
      if (events.length === 0) return void ctx.partial(`${what} left no audit event of the app (AUDIT-005 judges that)`);
      if (!named(events)) fail(`the audit event of ${what} does not name the key`, `an event with key_id ${keyId}`, `${summarize(events)}; key_id ${events.map((e) => JSON.stringify(e.key_id ?? null)).join(', ')}`, ex);
    }
  },
};
