// The admin client's audit read: one page from a server that does not page; a server that pages
// (data.nextCursor) newest first is followed for at most AUDIT_PAGES pages, so the read is bounded whatever
// the server's history; one that pages oldest first (the run's events come last) to its end, and past
// AUDIT_PAGES_OLDEST_FIRST pages the read is a tool error (exit 3), never an absence of events.
import { describe, expect, it } from 'vitest';
import type { Exchange, HttpExchangeRequest } from '../../src/kit/check.js';
import type { AuditEvent } from '../../src/protocol/types.js';
import { ToolError } from '../../src/kit/check.js';
import { AUDIT_PAGES, AUDIT_PAGES_OLDEST_FIRST, AUDIT_SETTLE_MS, AuditReads, createAdminClient } from '../../src/kit/clients.js';
import type { CheckContext } from '../../src/kit/check.js';
import { auditFor, auditUntil } from '../../src/kit/helpers.js';

/** `order`: the events' created_at grow with the pages (oldest first) or shrink (newest first). */
/** `without`: a field the server leaves out of every event (its time: of every event but app_1's and app_3's). */
function server(pages: number | 'endless', order: 'newest' | 'oldest' = 'newest', without?: 'id' | 'created_at') {
  const asked: string[] = [];
  let refuse = false;
  let shift = 0;
  const send = async (req: HttpExchangeRequest): Promise<Exchange> => {
    if (req.method === 'POST') {
      // POST /apps: app_3, whose events start at page 12.
      const json = { ok: true, code: 'common.success', data: { app: { id: 'app_3', org_id: 'org_1' }, key: { id: 'key_3' }, token: 'op_test_3' } };
      return { request: req, response: { status: 200, headers: { 'content-type': 'application/json' }, text: JSON.stringify(json), json }, durationMs: 1 } as unknown as Exchange;
    }
    asked.push(req.path);
    const given = new URL(`http://x${req.path}`).searchParams.get('cursor');
    if (refuse && given !== null && asked.filter((p) => p.includes('cursor=')).length === 1) {
      const json = { ok: false, code: 'common.validation', message: 'unknown cursor' };
      return { request: req, response: { status: 400, headers: { 'content-type': 'application/json' }, text: JSON.stringify(json), json }, durationMs: 1 } as unknown as Exchange;
    }
    const cursor = Number(given ?? 0);
    const last = pages !== 'endless' && cursor + 1 >= pages;
    const created_at = new Date(Date.UTC(2026, 0, 1) + (order === 'oldest' ? cursor : -cursor) * 1000).toISOString();
    // A page may be empty (events not shown yet) and still name the next one.
    // app_2's events (the run's own, for AuditReads) start at page 10.
    const at = cursor + shift;
    const items = at === 2 ? [] : [{ id: `evt_${at}`, app_id: 'app_1', created_at }, { id: `other_${at}`, app_id: at >= 10 ? 'app_2' : 'app_0', created_at }, ...(at >= 12 ? [{ id: `new_${at}`, app_id: 'app_3', created_at }] : [])];
    for (const e of items) if (without === 'id' || (without === 'created_at' && e.id.startsWith('other_'))) delete (e as Record<string, unknown>)[without];
    const data = { items, nextCursor: last ? null : String(cursor + 1) };
    const json = { ok: true, code: 'common.success', data };
    return { request: req, response: { status: 200, headers: { 'content-type': 'application/json' }, text: JSON.stringify(json), json }, durationMs: 1 } as unknown as Exchange;
  };
  return { asked, admin: createAdminClient(send, { authorization: 'Bearer adm_test' }, { auditReads: new AuditReads((id) => id === 'app_2') }), refuseCursors: () => void (refuse = true), slide: () => void (shift = 1) };
}

/**
 * A listing ordered by (time to the second, id) — or to the millisecond, or by id alone — two events a page, the
 * cursor the key of the page's last event; appId ignored. `add(id, app, ms)`: an event at `ms` after
 * 2026-01-01T00:00:00Z. POST /apps answers app_3.
 */
function keyset(unit: 'second' | 'ms' | 'id' = 'second') {
  const events: { id: string; app_id: string; created_at: string; key: string }[] = [];
  const asked: string[] = [];
  const add = (id: string, app: string, ms: number) => {
    const created_at = new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
    events.push({ id, app_id: app, created_at, key: unit === 'id' ? id : `${unit === 'second' ? created_at.slice(0, 19) : created_at}|${id}` });
    events.sort((a, b) => (a.key < b.key ? -1 : 1));
  };
  const listing = async (req: HttpExchangeRequest): Promise<Exchange> => {
    if (req.method !== 'POST') asked.push(req.path);
    const after = new URL(`http://x${req.path}`).searchParams.get('cursor');
    const rest = events.filter((e) => after === null || e.key > after);
    const items = rest.slice(0, 2);
    const json = req.method === 'POST'
      ? { ok: true, code: 'common.success', data: { app: { id: 'app_3' }, key: { id: 'key_3' }, token: 'op_test_3' } }
      : { ok: true, code: 'common.success', data: { items, nextCursor: rest.length > 2 ? items.at(-1)!.key : null } };
    return { request: req, response: { status: 200, headers: { 'content-type': 'application/json' }, text: JSON.stringify(json), json }, durationMs: 1 } as unknown as Exchange;
  };
  return { listing, add, asked };
}

describe('admin audit read', () => {
  it('reads one page from a server that does not page, filtered to the app', async () => {
    const { asked, admin } = server(1);
    expect((await admin.audit('app_1')).map((e) => e.id)).toEqual(['evt_0']);
    expect(asked).toHaveLength(1);
  });

  it('follows nextCursor to the last page, past an empty one', async () => {
    const { asked, admin } = server(4);
    expect((await admin.audit('app_1')).map((e) => e.id)).toEqual(['evt_0', 'evt_1', 'evt_3']);
    expect(asked[1]).toContain('cursor=1');
    expect(asked).toHaveLength(4);
  });

  it('stops after AUDIT_PAGES pages of a history without end, newest first', async () => {
    const { asked, admin } = server('endless');
    expect(await admin.audit('app_1')).toHaveLength(AUDIT_PAGES - 1);
    expect(asked).toHaveLength(AUDIT_PAGES);
  });

  it('follows a listing oldest first to its end, past AUDIT_PAGES: the recent events come last', async () => {
    const { asked, admin } = server(AUDIT_PAGES * 3, 'oldest');
    const events = await admin.audit('app_1');
    expect(asked).toHaveLength(AUDIT_PAGES * 3);
    expect(events.at(-1)?.id).toBe(`evt_${AUDIT_PAGES * 3 - 1}`);
  });

  it('later reads of an oldest-first listing start at the page before the run\'s first event; a cursor the server refuses starts over', async () => {
    const { asked, admin } = server(AUDIT_PAGES * 3, 'oldest');
    await admin.audit('app_1');
    asked.length = 0;
    const again = await admin.audit('app_1');
    // The run's first event (app_2's) is on page 10 (cursor 10), at second 10: the read starts at the page before
    // the first event that may have been made before it and shown later (a check's whole wait for an event, 5.2 s,
    // and the clock skew earlier: second 5, cursor 4).
    expect(asked.map((p) => new URL(`http://x${p}`).searchParams.get('cursor'))).toEqual(Array.from({ length: AUDIT_PAGES * 3 - 4 }, (_, i) => String(4 + i)));
    expect(again.at(-1)?.id).toBe(`evt_${AUDIT_PAGES * 3 - 1}`);
    // The same listing, whose cursors no longer hold: one refused request, then the read from the first page.
    const refusing = server(AUDIT_PAGES * 3, 'oldest');
    await refusing.admin.audit('app_1');
    refusing.refuseCursors();
    refusing.asked.length = 0;
    expect((await refusing.admin.audit('app_1')).at(-1)?.id).toBe(`evt_${AUDIT_PAGES * 3 - 1}`);
    expect(refusing.asked[1]).not.toContain('cursor=');
    // A window that slid: the cursor now names the page after; its first event is not the one remembered.
    const sliding = server(AUDIT_PAGES * 3, 'oldest');
    await sliding.admin.audit('app_1');
    sliding.slide();
    sliding.asked.length = 0;
    await sliding.admin.audit('app_1');
    expect(sliding.asked[0]).toContain('cursor=4');
    expect(sliding.asked[1]).not.toContain('cursor=');
  });

  it('events without an id (nothing to check a cursor by) or without a time (nothing to tell ties by): every read starts at the first page', async () => {
    for (const without of ['id', 'created_at'] as const) {
      const { asked, admin } = server(AUDIT_PAGES * 3, 'oldest', without);
      await admin.audit('app_1');
      await admin.createApp({ name: 'probe', scopes: ['s'], orgId: 'org_1' });
      asked.length = 0;
      await admin.audit('app_1');
      await admin.audit('app_3');
      expect(asked.filter((p) => !p.includes('cursor=')), without).toHaveLength(2);
    }
  });

  it('an app created after a read of an oldest-first listing that ignores appId is read from the page before that read\'s last event; a cursor that now names another page falls back', async () => {
    const cursors = (asked: string[]) => asked.map((p) => new URL(`http://x${p}`).searchParams.get('cursor'));
    const spec = { name: 'probe', scopes: ['s'], orgId: 'org_1' };
    const { asked, admin } = server(AUDIT_PAGES * 3, 'oldest');
    await admin.audit('app_1');
    await admin.createApp(spec);
    asked.length = 0;
    // That read ended on page 14 (cursor 14): the new app's reads start at the page before (cursor 13), not where
    // the run's events start (4).
    expect((await admin.audit('app_3')).map((e) => e.id)).toEqual(['new_13', 'new_14']);
    expect(cursors(asked)).toEqual(['13', '14']);
    // An app asked for before any read has no such start: it is read from the run's first event.
    const early = server(AUDIT_PAGES * 3, 'oldest');
    await early.admin.createApp(spec);
    await early.admin.audit('app_1');
    early.asked.length = 0;
    expect((await early.admin.audit('app_3')).map((e) => e.id)).toEqual(['new_12', 'new_13', 'new_14']);
    expect(cursors(early.asked)[0]).toBe('4');
    // A window that slid: cursor 13 now names another page; the read falls back to the run's first event, then to the first page.
    const sliding = server(AUDIT_PAGES * 3, 'oldest');
    await sliding.admin.audit('app_1');
    await sliding.admin.createApp(spec);
    sliding.slide();
    sliding.asked.length = 0;
    expect((await sliding.admin.audit('app_3')).map((e) => e.id)).toEqual(['new_12', 'new_13', 'new_14', 'new_15']);
    expect(cursors(sliding.asked).slice(0, 3)).toEqual(['13', '4', null]);
  });

  it('a listing ordered by times to the second, paged by key: an event of an app created later that sorts among the last second\'s events is still read', async () => {
    const { listing, add } = keyset();
    // Eight events a second (four pages), seconds 0 to 2, times to the millisecond. The ids of second 1 run against
    // its times (so the listing is not in time order); those of second 2 with them, its last event at .950.
    const ms = (i: number) => (i >= 8 && i < 16 ? 15 - i : i % 8) * 100 + (i === 23 ? 250 : 0);
    for (let i = 0; i < 24; i++) add(`e${String(i).padStart(2, '0')}`, i < 8 ? 'app_0' : 'app_2', Math.floor(i / 8) * 1000 + ms(i));
    const admin = createAdminClient(listing, { authorization: 'Bearer adm_test' }, { auditReads: new AuditReads((id) => id !== 'app_0') });
    await admin.audit('app_2');
    await admin.createApp({ name: 'probe', scopes: ['s'], orgId: 'org_1' });
    // Made in the last second the read saw (2), after all of them, its id sorts before that second's other events.
    add('a00', 'app_3', 2950);
    expect((await admin.audit('app_3')).map((e) => e.id)).toEqual(['a00']);
  });

  it('a listing ordered by (second, id) whose ids so far rise with its times (one instance numbering its events): a later event of another instance that sorts first in the last second is still read', async () => {
    const { listing, add } = keyset();
    for (let i = 0; i < 24; i++) add(`i2-${String(i).padStart(6, '0')}`, i < 8 ? 'app_0' : 'app_2', i * 125);
    const admin = createAdminClient(listing, { authorization: 'Bearer adm_test' }, { auditReads: new AuditReads((id) => id !== 'app_0') });
    await admin.audit('app_2');
    await admin.createApp({ name: 'probe', scopes: ['s'], orgId: 'org_1' });
    add('i1-000001', 'app_3', 2950);
    add('i1-000002', 'app_2', 2960);
    expect((await admin.audit('app_3')).map((e) => e.id)).toEqual(['i1-000001']);
    expect((await admin.audit('app_2')).map((e) => e.id)).toContain('i1-000002');
  });

  it('a listing ordered to the millisecond: an event up to 100 ms behind (another instance\'s clock) is read; one further behind only by a thorough read, as judges an absence', async () => {
    const { listing, add } = keyset('ms');
    // Times rising 10 ms apart, ids in no order: a listing shown to be ordered to the millisecond.
    for (let i = 0; i < 24; i++) add(`x${String((i * 7) % 24).padStart(2, '0')}`, i < 8 ? 'app_0' : 'app_2', 1000 + i * 10);
    const admin = createAdminClient(listing, { authorization: 'Bearer adm_test' }, { auditReads: new AuditReads((id) => id !== 'app_0') });
    await admin.audit('app_2');
    await admin.createApp({ name: 'probe', scopes: ['s'], orgId: 'org_1' });
    // The read's last event is at 1 230 ms; these sort five and sixty events before it.
    add('near', 'app_3', 1230 - 50);
    add('skewed', 'app_3', 1230 - 600);
    expect((await admin.audit('app_3')).map((e) => e.id)).toEqual(['near']);
    expect((await admin.audit('app_3', { thorough: true })).map((e) => e.id).sort()).toEqual(['near', 'skewed']);
  });

  it('a listing ordered by id alone whose first and last events happen to be in time order: no read starts past the first page', async () => {
    const { listing, add, asked } = keyset('id');
    add('000', 'app_0', 0);
    for (let i = 1; i < 20; i++) add(`5${String((i * 37) % 100).padStart(2, '0')}`, 'app_0', i * 1000);
    for (let i = 0; i < 4; i++) add(`8${i}`, 'app_2', 100_000 + i * 100);
    add('fff', 'app_0', 100_500);
    const admin = createAdminClient(listing, { authorization: 'Bearer adm_test' }, { auditReads: new AuditReads((id) => id !== 'app_0') });
    await admin.audit('app_2');
    await admin.createApp({ name: 'probe', scopes: ['s'], orgId: 'org_1' });
    // The new app's event: its id sorts early.
    add('100', 'app_3', 101_000);
    asked.length = 0;
    expect((await admin.audit('app_3')).map((e) => e.id)).toEqual(['100']);
    expect(asked[0]).not.toContain('cursor=');
  });

  it('a listing ordered by (second, id as text) whose numeric ids go both ways as numbers: still the second', async () => {
    const { listing, add } = keyset();
    for (let i = 0; i < 4; i++) add(`0${i}`, 'app_0', i * 100);
    // Two instances numbering their events: 1001, 1002 (one), then 950…957 (the other), all in second 1.
    add('1001', 'app_2', 1100);
    add('1002', 'app_2', 1200);
    for (let i = 0; i < 8; i++) add(String(950 + i), 'app_2', 1300 + i * 80);
    const admin = createAdminClient(listing, { authorization: 'Bearer adm_test' }, { auditReads: new AuditReads((id) => id !== 'app_0') });
    await admin.audit('app_2');
    await admin.createApp({ name: 'probe', scopes: ['s'], orgId: 'org_1' });
    // The first instance again, after the read: as text it sorts before the other's events of second 1.
    add('1003', 'app_3', 1950);
    expect((await admin.audit('app_3')).map((e) => e.id)).toEqual(['1003']);
  });

  it('an event of this run made before the first one readable, and shown after it, is still read by a thorough read', async () => {
    const { listing, add } = keyset('ms');
    // Other tenants' events, 50 ms apart (ids in no order: a listing ordered to the millisecond); this run's
    // first readable event (app_2's) at 10 s.
    for (let i = 0; i < 200; i++) add(`o${String((i * 37) % 200).padStart(3, '0')}`, 'app_0', i * 50);
    add('e2', 'app_2', 10_000);
    const admin = createAdminClient(listing, { authorization: 'Bearer adm_test' }, { auditReads: new AuditReads((id) => id !== 'app_0') });
    await admin.audit('app_2');
    // Made at 9.2 s, readable only now: it sorts 16 events (8 pages) before the first one seen.
    add('e1', 'app_2', 9_200);
    expect((await admin.audit('app_2', { thorough: true })).map((e) => e.id).sort()).toEqual(['e1', 'e2']);
  });

  it('a listing whose pages all hold events of one second, in id order and so not in time order, is followed to its end', async () => {
    const { listing, add, asked } = keyset();
    // Times fall as ids rise: by milliseconds the listing would look newest first.
    for (let i = 0; i < 2 * (AUDIT_PAGES + 3); i++) add(`e${String(i).padStart(2, '0')}`, 'app_1', 999 - i);
    const admin = createAdminClient(listing, { authorization: 'Bearer adm_test' });
    expect(await admin.audit('app_1')).toHaveLength(2 * (AUDIT_PAGES + 3));
    expect(asked).toHaveLength(AUDIT_PAGES + 3);
  });

  it('auditUntil re-reads while the event is missing, and judges its absence on a thorough last read; auditFor reads thoroughly', async () => {
    const asked: (boolean | undefined)[] = [];
    const ctx = (events: () => { id: string; app_id: string }[]) => ({
      admin: { audit: async (_app: string, opts?: { thorough?: boolean }) => (asked.push(opts?.thorough), events()), auditCutShort: () => undefined },
      windowClock: { sleep: async () => undefined },
    }) as unknown as CheckContext;
    await auditUntil(ctx(() => []), 'app_1', (e) => e.length > 0);
    // A first read, then one after each pause; the last is thorough.
    expect(asked).toEqual([undefined, ...AUDIT_SETTLE_MS.slice(1).map(() => false), true]);
    asked.length = 0;
    let n = 0;
    await auditUntil(ctx(() => (++n >= 2 ? [{ id: 'evt_1', app_id: 'app_1' }] : [])), 'app_1', (e) => e.length > 0);
    expect(asked).toEqual([undefined, false]);
    asked.length = 0;
    await auditFor(ctx(() => []), 'app_1');
    expect(asked).toEqual([true]);
  });

  it('an event missing from a read that stopped short of the app\'s creation (a full page without a cursor, or the page bound) is a tool error (exit 3), not an absence', async () => {
    const born = Date.UTC(2026, 0, 1, 12);
    const at = (ms: number) => new Date(born + ms).toISOString();
    /** A listing of every app's events, newest first, `total` in all from `oldest` ms after app_3's creation on, 1 ms apart, at most `cap` a page and no cursor (or `paged`: pages of 1 000 with one). */
    const capped = (total: number, oldest: number, cap = Infinity, paged = false) => {
      const events = Array.from({ length: total }, (_, i) => ({ id: `e${i}`, app_id: i % 7 === 0 ? 'app_3' : 'app_0', action: 'agent.manifest.read', created_at: at(oldest + total - i) }));
      const send = async (req: HttpExchangeRequest): Promise<Exchange> => {
        const from = Number(new URL(`http://x${req.path}`).searchParams.get('cursor') ?? 0);
        const page = paged ? events.slice(from, from + 1000) : events.slice(0, cap);
        const json = req.method === 'POST'
          ? { ok: true, code: 'common.success', data: { app: { id: 'app_3', created_at: at(0) }, key: { id: 'key_3' }, token: 'op_test_3' } }
          : { ok: true, code: 'common.success', data: { items: page, nextCursor: paged && from + 1000 < total ? String(from + 1000) : null } };
        return { request: req, response: { status: 200, headers: { 'content-type': 'application/json' }, text: JSON.stringify(json), json }, durationMs: 1 } as unknown as Exchange;
      };
      const admin = createAdminClient(send, { authorization: 'Bearer adm_test' });
      return { admin, ctx: { admin, windowClock: { sleep: async () => undefined } } as unknown as CheckContext };
    };
    const denied = (events: AuditEvent[]) => events.some((e) => e.status === 'denied');
    for (const [what, server] of [['capped at 1 000, no cursor', capped(3000, 500, 1000)], ['paged newest first past the page bound', capped(1000 * (AUDIT_PAGES + 2), 500, Infinity, true)]] as const) {
      await server.admin.createApp({ name: 'probe', scopes: ['s'], orgId: 'org_1' });
      const err = await auditUntil(server.ctx, 'app_3', denied).catch((e: unknown) => e);
      expect(err, what).toBeInstanceOf(ToolError);
      expect((err as ToolError).exitCode).toBe(3);
      expect((err as ToolError).message).toContain("does not reach back to app app_3's creation");
      expect(server.admin.auditCutShort('app_3')).toBeDefined();
    }
    // The same page reaching back past the creation (events from 2 s before it): the absence is judged.
    const reaching = capped(1000, -2000, 1000);
    await reaching.admin.createApp({ name: 'probe', scopes: ['s'], orgId: 'org_1' });
    expect(await auditUntil(reaching.ctx, 'app_3', denied)).toHaveLength(143);
    expect(reaching.admin.auditCutShort('app_3')).toBeUndefined();
    // A listing that answers its whole history (more than asked for, no cursor), as the authors' runtime does; and one short of a page.
    for (const whole of [capped(1500, 500), capped(999, 500)]) {
      await whole.admin.createApp({ name: 'probe', scopes: ['s'], orgId: 'org_1' });
      expect((await auditUntil(whole.ctx, 'app_3', denied)).length).toBeGreaterThan(0);
    }
    // Found: no matter how the read ended.
    const full = capped(3000, 500, 1000);
    await full.admin.createApp({ name: 'probe', scopes: ['s'], orgId: 'org_1' });
    expect(await auditUntil(full.ctx, 'app_3', (events) => events.length > 0)).toHaveLength(143);
  });

  it('an oldest-first listing without end is a tool error (exit 3) past AUDIT_PAGES_OLDEST_FIRST pages, not an absence', async () => {
    const { asked, admin } = server('endless', 'oldest');
    const err = await admin.audit('app_1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).exitCode).toBe(3);
    expect((err as ToolError).message).toContain(`GET /audit lists its events oldest first and had more after ${AUDIT_PAGES_OLDEST_FIRST} pages`);
    expect(asked).toHaveLength(AUDIT_PAGES_OLDEST_FIRST);
  });
});
