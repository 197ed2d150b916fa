// The store's per-owner caps at volume: records deleted out of order (a preflight consumed, an idempotency record
// dropped) stop counting at once, and eviction at a cap still goes oldest live record first, with Retry-After at
// the oldest one that must stay. The audit log's and the key store's per-app indexes answer what a scan of
// everything would.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/runtime/audit.js';
import { DEFAULT_STORE_LIMITS, Store, type IdemRec, type KeyRec, type PreflightRec } from '../../src/runtime/store.js';

const preflight = (i: number): PreflightRec => ({
  id: `pfl_${i}`, appId: 'app_a', keyId: 'key_a', actor: 'usr_a', action: 'transaction.create', payload: {}, impactHash: 'h', witnessHash: null,
  expiresAt: i * 1000,
});

describe('store caps per owner', () => {
  it('counts only live preflights after out-of-order deletes, and evicts the oldest expired ones first at the cap', () => {
    const store = new Store({ ...DEFAULT_STORE_LIMITS, appPreflights: 100 });
    for (let i = 0; i < 100; i++) store.addPreflight(preflight(i));
    // Delete all but every fifth: more deleted records than live ones, scattered through the owner's order.
    for (let i = 0; i < 100; i++) if (i % 5 !== 0) store.deletePreflight(`pfl_${i}`);
    expect(store.preflights.size).toBe(20);
    expect(store.roomForPreflight('app_a', 0)).toBeNull();
    for (let i = 100; i < 180; i++) store.addPreflight(preflight(i));
    // At the cap (100 live) at t = 50 s: the live ones expired by then (0, 5, …, 50) go, oldest first, and nothing else.
    expect(store.roomForPreflight('app_a', 50_000)).toBeNull();
    const left = [...store.preflights.keys()];
    expect(left).toHaveLength(89);
    expect(left.slice(0, 9)).toEqual([55, 60, 65, 70, 75, 80, 85, 90, 95].map((i) => `pfl_${i}`));
    // A stored preflight is plain data (no reference into the index): it copies and serialises like the one added.
    expect(JSON.parse(JSON.stringify(store.preflights.get('pfl_55')))).toMatchObject(preflight(55));
    for (let i = 180; i < 191; i++) store.addPreflight(preflight(i));
    // At the cap again with nothing expired: refused until the oldest live one (55 s) expires.
    expect(store.roomForPreflight('app_a', 50_000)).toEqual({ store: 'live preflights', scope: 'app', limit: 100, retryAfterSeconds: 5 });
    // Emptied and filled again, the owner's count starts from zero.
    for (const id of [...store.preflights.keys()]) store.deletePreflight(id);
    expect(store.roomForPreflight('app_a', 0)).toBeNull();
    for (let i = 0; i < 100; i++) store.addPreflight(preflight(1000 + i));
    expect(store.roomForPreflight('app_a', 0)).toMatchObject({ scope: 'app', retryAfterSeconds: 1000 });
  });

  it('idempotency records deleted out of order leave the others counted in creation order', () => {
    const store = new Store({ ...DEFAULT_STORE_LIMITS, appIdempotency: 10, retentionMs: 1000 });
    const rec = (t: number) => ({ fingerprint: 'f', execution: null, createdMs: t });
    for (let i = 0; i < 10; i++) store.setIdempotency(`k${i}`, rec(i), 'app_a');
    // Setting an existing key again does not count it twice.
    store.setIdempotency('k3', rec(3), 'app_a');
    store.deleteIdempotency('k0');
    store.deleteIdempotency('k4');
    expect(store.roomForIdempotency('app_a', 0)).toBeNull();
    store.setIdempotency('k10', rec(10), 'app_a');
    store.setIdempotency('k11', rec(11), 'app_a');
    // At the cap at t = 1 002 ms: records created at or before 2 ms are past retention (k1, k2), and only they go.
    expect(store.roomForIdempotency('app_a', 1002)).toBeNull();
    expect([...store.idempotency.keys()].sort()).toEqual(['k10', 'k11', 'k3', 'k5', 'k6', 'k7', 'k8', 'k9']);
  });

  it('an idempotency key set again keeps its place and creation time, and takes the new fingerprint and execution', () => {
    const store = new Store({ ...DEFAULT_STORE_LIMITS, appIdempotency: 2, retentionMs: 1000 });
    store.setIdempotency('a', { fingerprint: 'f', execution: null, createdMs: 0 }, 'app_a');
    store.setIdempotency('b', { fingerprint: 'f', execution: null, createdMs: 10 }, 'app_a');
    const execution = { id: 'exe_1' } as unknown as NonNullable<IdemRec['execution']>;
    store.setIdempotency('a', { fingerprint: 'g', execution, createdMs: 500 }, 'app_a');
    expect(store.idempotency.get('a')).toMatchObject({ fingerprint: 'g', execution, createdMs: 0 });
    expect(store.idempotency.size).toBe(2);
    // At the cap at t = 1 000 ms, 'a' (created at 0) is past retention and goes; 'b' stays.
    expect(store.roomForIdempotency('app_a', 1000)).toBeNull();
    expect([...store.idempotency.keys()]).toEqual(['b']);
  });
});

describe('per-app indexes', () => {
  it('an audit listing, of one app or of all, is what a scan of the events held would give, across trims and at any limit', () => {
    const apps = ['app_a', 'app_b', 'app_c', null] as const;
    /** The log as a plain array: trimmed back to the limit at 1.25 times it, listed by scanning the newest `limit` events. */
    const scanned = (limit: number) => {
      const held: { id: string; app_id: string | null }[] = [];
      return {
        record: (e: (typeof held)[number]) => {
          held.push(e);
          if (held.length >= limit * 1.25) held.splice(0, held.length - limit);
        },
        list: (appId: string | undefined, max: number) => {
          const out: string[] = [];
          for (let i = held.length - 1; i >= Math.max(0, held.length - limit) && out.length < max; i--) if (appId === undefined || held[i]!.app_id === appId) out.push(held[i]!.id);
          return out;
        },
      };
    };
    // Mostly records, so that the log passes its limit and trims (at 1.25 times the limit) several times.
    const step = fc.oneof(
      { arbitrary: fc.record({ record: fc.constantFrom(...apps) }), weight: 3 },
      { arbitrary: fc.record({ list: fc.constantFrom('app_a', 'app_b', 'app_c', 'app_none', undefined), limit: fc.integer({ min: 1, max: 30 }) }), weight: 1 },
    );
    // Whole limits, and an embedder's odd ones (a fraction, zero, NaN): the index must agree with the scan on each.
    const limits = fc.oneof(fc.integer({ min: 1, max: 24 }), fc.constantFrom(0, 2.5, 10.5, Number.NaN));
    fc.assert(fc.property(limits, fc.array(step, { minLength: 30, maxLength: 200, size: 'max' }), (limit, steps) => {
      let n = 0;
      const log = new AuditLog(limit, () => `aud_${n++}`, () => '2026-01-01T00:00:00.000Z');
      const model = scanned(limit);
      for (const s of steps) {
        if ('record' in s) model.record(log.record({ app_id: s.record, action: 'agent.manifest.read', status: 'success' }));
        else expect(log.list({ appId: s.list, limit: s.limit }).map((e) => e.id)).toEqual(model.list(s.list, s.limit));
      }
    }));
  });

  it("an app's keys are its own, in creation order", () => {
    const store = new Store();
    const key = (i: number, app: string): KeyRec => ({ id: `key_${i}`, app_id: app, name: `k${i}`, token_hash: `h${i}`, token_prefix: 'op_', expires_at: null, revoked_at: null, created_at: '2026-01-01T00:00:00.000Z' });
    for (let i = 0; i < 9; i++) store.addKey(key(i, i % 3 === 0 ? 'app_a' : 'app_b'));
    expect(store.keysOf('app_a').map((k) => k.id)).toEqual(['key_0', 'key_3', 'key_6']);
    expect(store.keysOf('app_b').map((k) => k.id)).toEqual(['key_1', 'key_2', 'key_4', 'key_5', 'key_7', 'key_8']);
    expect(store.keysOf('app_none')).toEqual([]);
    expect(store.keyByHash.get('h4')).toBe('key_4');
    expect(store.keys.size).toBe(9);
  });
});
