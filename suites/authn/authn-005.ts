import { ToolError, type CheckContext, type CheckDef, type Exchange } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { timestampMs } from '../../src/protocol/schemas.js';
import { describe, expectError, expectSuccess } from '../../src/kit/expect.js';
import { rejectPending } from '../../src/kit/helpers.js';
import { agentRoutes, keyFrom, pagedRoutes, readsThatPage, send } from '../env/routes.js';
import { clockOffset, createPayload, existingDraft, marker, setExpiringSoon } from '../lib-write.js';

/** Create a key, or say why the server refused it (a server may refuse an expiry in the past). */
async function tryKey(create: () => Promise<Exchange>): Promise<{ keyId: string; token: string } | { refused: string }> {
  try {
    const ex = await create();
    return keyFrom(ex) ?? { refused: describe(ex) };
  } catch (e) {
    if (e instanceof ToolError) return { refused: e.message };
    throw e;
  }
}

/**
 * A key expiring soon on the server's clock (setExpiringSoon; `offset`: clockOffset), used once before and
 * returned once past its expiry there (for servers refusing a past one).
 */
async function shortLivedKey(ctx: CheckContext, appId: string, offset: { low: number; high: number }): Promise<{ keyId: string; token: string }> {
  const { ex, passed } = await setExpiringSoon(ctx, offset, 'a key', (at) => ctx.admin.createKey(appId, { name: 'conform short expiry', expiresAt: new Date(at).toISOString(), refusable: true }));
  const k = keyFrom(ex);
  if (!k) throw new ToolError(`admin plane answered POST /apps/${appId}/keys without a key and token: ${describe(ex)}`);
  expectSuccess(await ctx.client(k.token).manifest(), 'the short-lived key before its expiry');
  await ctx.sleep(Math.max(0, passed - ctx.now()));
  return k;
}

/** An address no client is (RFC 5737 documentation range): an allowlist of it misses the run. */
const NOT_THE_CLIENT = '203.0.113.7';

/**
 * A key whose expiresAt is a second before the server's clock as its own created_at reads it (`serverClock`: that
 * clock now, as far as known), presented at once: §6 (3) allows no grace, however short. Judged only where the
 * key's record shows it (created_at at least 0.8 s after expires_at, so a store keeping times to the second or a
 * clock read late never makes a live key look expired); otherwise a note.
 */
async function secondPastKey(ctx: CheckContext, appId: string, serverClock: () => number): Promise<void> {
  const ex = await ctx.admin.createKey(appId, { name: 'conform expired 1 s ago', expiresAt: new Date(serverClock() - 1_000).toISOString(), refusable: true });
  const k = keyFrom(ex);
  const rec = dataOf(ex)?.key;
  const lag = (timestampMs(rec?.created_at) ?? NaN) - (timestampMs(rec?.expires_at) ?? NaN);
  if (!k || !(lag >= 800)) {
    ctx.note(`a key expiring 1 s before the server's clock was not judged (${k ? `its record shows created_at − expires_at = ${lag} ms` : describe(ex)})`);
    return;
  }
  expectError(await ctx.client(k.token).manifest(), 'agent.token_expired', `GET manifest at once with a key whose expires_at is ${lag} ms before its own created_at (the server's clock)`);
}

export const authn005: CheckDef = {
  id: 'AUTHN-005',
  safety: 'draft',
  needs: ['admin'],
  description: 'A key past its expiresAt, an hour past and only moments (2 s) past alike, is 401 agent.token_expired on every route (every write tool\'s preflight and actions, every read that pages also with page=1 and page=1&pageSize=20, an action naming a live preflightId of its app, and the poll of an existing draft of its app), and so is a key presented at once that expired a second before its own created_at; a key with a future expiry works; an expired key is still 401 token_expired once its app\'s allowed_ips miss the client (expiry is judged before the network policy), and once revoked is 401 token_invalid (revocation is judged before expiry).',
  expectedCodes: ['agent.token_expired', 'agent.token_invalid'],
  async run(ctx) {
    const p = await ctx.persona({ name: 'authn005' });
    const futureEx = await ctx.admin.createKey(p.appId, { name: 'conform future expiry', expiresAt: new Date(ctx.now() + 3600_000).toISOString() });
    const offset = clockOffset(ctx, futureEx);
    const future = await tryKey(async () => futureEx);
    if ('refused' in future) throw new ToolError(`admin plane refused a key expiring in one hour: ${future.refused}`);
    expectSuccess(await ctx.client(future.token).manifest(), 'positive control: a key expiring in one hour');
    // "Moments ago" is measured on the server's clock where its key says what that is (created_at), else where its
    // Date header does (to the second, so never ahead of it), and never ahead of ours.
    const createdAt = timestampMs(dataOf(futureEx)?.key?.created_at);
    const serverNow = createdAt ?? ctx.now() + offset.low;
    const now = Math.min(serverNow, ctx.now());
    // Each expiry is set from the clock as it reads when that key is asked for, not as it read at the start.
    const t0 = ctx.now();
    const moment = (): number => now + (ctx.now() - t0);

    // (3) key not expired → else 401 token_expired (§6): long past, and only moments past, its expiry alike.
    const expired: [string, { keyId: string; token: string }][] = [];
    for (const [label, ago] of [['an hour ago', 3600_000], ['2 s ago', 2_000]] as const) {
      const k = await tryKey(() => ctx.admin.createKey(p.appId, { name: `conform expired ${label}`, expiresAt: new Date(moment() - ago).toISOString() }));
      if ('refused' in k) {
        ctx.note(`a past expiresAt was refused at creation (${k.refused}); used a key expiring soon on its clock`);
        expired.length = 0;
        expired.push(['expired moments ago', await shortLivedKey(ctx, p.appId, offset)]);
        break;
      }
      expired.push([`expired ${label}`, k]);
    }
    // A draft of the key's app that exists (drafted with the app's live key): an expired key polls it no more than
    // an id never issued.
    const { action } = ctx.target.writes.create;
    const drafted = await existingDraft(ctx, p, "an expired key's poll of an existing draft");
    // A live preflight of the app (made with its live key): an action naming it carries no payload, and an expired
    // key presents it no more than a payload.
    const preflightId = dataOf(await p.client.preflight(action, createPayload(ctx, marker(ctx))))?.preflightId;
    if (typeof preflightId !== 'string') ctx.partial(`${action}'s preflight with the app's live key gave no preflightId: an expired key's action naming one was not tried`);
    // Every read that pages is also sent naming a page: a server may take another path for it.
    const routes = [...agentRoutes(ctx.target), ...pagedRoutes(ctx.target, await readsThatPage(ctx.target, p.client))];
    try {
      if (createdAt !== undefined) await secondPastKey(ctx, p.appId, () => createdAt + (ctx.now() - t0));
      for (const [label, k] of expired) {
        const client = ctx.client(k.token);
        for (const r of routes) expectError(await send(client, r), 'agent.token_expired', `${r.name} with a key ${label}`);
        if (drafted !== undefined) expectError(await client.draft(drafted), 'agent.token_expired', `GET drafts/{id} of an existing draft of its app with a key ${label}`);
        if (typeof preflightId === 'string') expectError(await client.actions({ action, preflightId }), 'agent.token_expired', `POST actions naming a live preflightId of its app with a key ${label}`);
      }
    } finally {
      await rejectPending(ctx, p.appId);
    }
    // §6 judges in order: (2) a revoked key is token_invalid before (3) its expiry is looked at. A fresh expired
    // key, never presented before its revocation, so that this judges the order and not revocation caching
    // (AUTHN-004's subject); where a past expiry is refused, the short-lived key already used serves.
    const fresh = expired[0]![0] === 'expired moments ago' ? undefined : await tryKey(() => ctx.admin.createKey(p.appId, { name: 'conform expired, revoked', expiresAt: new Date(moment() - 3600_000).toISOString() }));
    // "(3) key not expired … (6) network policy" in this order (§6): an expired key from outside its app's allowlist is
    // still token_expired. Set after the keys above were made, so the app's live key is not needed again.
    expectSuccess(await ctx.admin.setPolicy(p.appId, { network: { allowed_ips: [NOT_THE_CLIENT] } }), `set-up: PATCH /apps/${p.appId}/policy with allowed_ips [${NOT_THE_CLIENT}]`);
    for (const [label, k] of expired) {
      for (const r of routes.filter((x) => x.kind === 'manifest' || x.kind === 'read')) expectError(await send(ctx.client(k.token), r), 'agent.token_expired', `${r.name} with a key ${label} from outside its app's allowed_ips [${NOT_THE_CLIENT}] (step 3 before step 6)`);
    }
    const k = fresh && !('refused' in fresh) ? fresh : expired[0]![1];
    await ctx.admin.revokeKey(k.keyId);
    expectError(await ctx.client(k.token).manifest(), 'agent.token_invalid', 'GET manifest with an expired key that was then revoked (step 2 before step 3)');
  },
};
