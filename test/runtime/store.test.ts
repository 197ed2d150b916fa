// The store's per-owner caps at volume: records deleted out of order (a preflight consumed, an idempotency record
// dropped) stop counting at once, and eviction at a cap still goes oldest live record first, with Retry-After at
// the oldest one that must stay.
import { describe, expect, it } from 'vitest';
import { DEFAULT_STORE_LIMITS, Store, type PreflightRec } from '../../src/runtime/store.js';

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
});
