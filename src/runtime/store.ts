/** In-memory state of the runtime: apps, keys, preflights, drafts, executions and idempotency records. */
import type { AppScope, Draft, Execution, PolicyConfig, Risk } from '../protocol/types.js';
import type { NormalizedAutoExecute } from './policy.js';

export interface AppRec {
  id: string;
  scope: AppScope;
  status: 'active' | 'revoked';
  name: string;
  description: string | null;
  user_id: string | null;
  org_id: string;
  service_user_id: string | null;
  scopes: string[];
  policy: PolicyConfig;
  auto_execute: NormalizedAutoExecute;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface KeyRec {
  id: string;
  app_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
}

export interface PreflightRec {
  id: string;
  appId: string;
  keyId: string;
  actor: string;
  action: string;
  payload: Record<string, unknown>;
  impactHash: string;
  witnessHash: string | null;
  expiresAt: number;
}

export interface DraftRec {
  /** Creation order (1, 2, …): the drafts listing pages by it, newest first. */
  seq: number;
  /** Creation time in ms, for retention. */
  createdMs: number;
  draft: Draft;
  risk: Risk;
  idempotencyKey: string | null;
  /** What the idempotency key is scoped to (the app's id; the idempotencyScope hook). */
  idempotencyScope: string;
  /** JCS of {action, payload}: what an idempotency key is bound to. */
  fingerprint: string;
  actor: string | null;
  executions: Execution[];
}

/** What an idempotency key (per app) is bound to: the request fingerprint and, once run, its execution. */
export interface IdemRec {
  fingerprint: string;
  execution: Execution | null;
  /** When the key was first bound, for retention. */
  createdMs?: number;
}

/** Who a stored record counts against: its app and the app's tenant (per-owner caps). */
export interface Owner {
  appId: string;
  orgId: string;
}

/**
 * A write the store has no room for: which store, which cap (the app's, the tenant's or the server's) and
 * when waiting is sure to help (seconds until the oldest record in the way may go), or null when only an
 * operator can make room (a pending draft approved or rejected, before retention).
 */
export interface NoRoom {
  store: string;
  scope: 'app' | 'tenant' | 'server';
  limit: number;
  retryAfterSeconds: number | null;
}

/**
 * Bounds of stored state (docs/runtime-limits.md). Within `retentionMs` of its creation no pending draft
 * and no idempotency record is ever evicted; at a cap with nothing evictable, new writes are refused
 * with 429 agent.rate_limited, details.reason "storage_full" and a Retry-After.
 */
export interface StoreLimits {
  /** Server-wide caps: the memory bound of the whole store. */
  drafts: number;
  idempotency: number;
  preflights: number;
  apps: number;
  keys: number;
  /** Caps per tenant (org_id), so that one tenant cannot fill the server-wide store for the others. */
  tenantDrafts: number;
  tenantIdempotency: number;
  tenantPreflights: number;
  /** Caps per app, so that one app (one key's traffic) cannot fill its tenant's share. */
  appDrafts: number;
  appIdempotency: number;
  appPreflights: number;
  retentionMs: number;
}

export const DEFAULT_STORE_LIMITS: StoreLimits = {
  drafts: 20_000,
  idempotency: 40_000,
  preflights: 20_000,
  apps: 5_000,
  keys: 10_000,
  tenantDrafts: 5_000,
  tenantIdempotency: 10_000,
  tenantPreflights: 5_000,
  appDrafts: 2_500,
  appIdempotency: 5_000,
  appPreflights: 2_500,
  retentionMs: 24 * 60 * 60_000,
};

const appOwner = (id: string) => `app\u0000${id}`;
const orgOwner = (id: string) => `org\u0000${id}`;

/** One owner's records (an app, a tenant or the server): live ones counted, all in insertion order. */
interface OwnerQueue {
  /** Records in insertion order from `head` on; deleted ones stay until they reach the head or are compacted away. */
  queue: Held[];
  head: number;
  /** Live records in the queue. */
  count: number;
  /** Deleted records still in the queue past `head`. */
  dead: number;
}

/**
 * What the owner index keeps on each record it holds, written into the record itself when the store adds it: no
 * second object, second map entry or copy of the record's time per record (a server may hold 100 000 of them).
 * Plain data: a record holds no reference into the index, so it can be copied or serialised like any other.
 */
interface Held {
  readonly id: string;
  /** The record's owners (its app, tenant and the server), the tuple the store hands for every record of the app. */
  readonly owners: readonly string[];
  /** False once deleted: the record may stay in its owners' queues until they drop it. */
  live: boolean;
}

/**
 * The records of one store by id, and per owner (app or tenant) in insertion order, each with a time (an expiry
 * or a creation time, `timeOf`): count and oldest in O(1), so a cap per owner costs nothing per request. A
 * record is pushed on its owners' queues and marked when deleted, and a queue drops its deleted records once they
 * outnumber the live ones (amortised O(1)).
 */
class OwnerIndex<R extends Held> {
  /** Use add/delete to change: the owners' queues must see every record. */
  readonly records = new Map<string, R>();
  private readonly by = new Map<string, OwnerQueue>();
  /** The queues of an owners tuple (the store hands the same tuple for every record of an app): one array per app, not per record. */
  private readonly queuesOf = new WeakMap<readonly string[], readonly OwnerQueue[]>();

  constructor(readonly timeOf: (rec: R) => number) {}

  /** The queues of an owners tuple. */
  private queues(owners: readonly string[]): readonly OwnerQueue[] {
    let of = this.queuesOf.get(owners);
    if (of === undefined) {
      of = owners.map((name) => {
        let o = this.by.get(name);
        if (!o) this.by.set(name, (o = { queue: [], head: 0, count: 0, dead: 0 }));
        return o;
      });
      this.queuesOf.set(owners, of);
    }
    return of;
  }

  /** Holds a new record (an id is never added twice). */
  add(rec: R): void {
    this.records.set(rec.id, rec);
    for (const o of this.queues(rec.owners)) {
      o.queue.push(rec);
      o.count++;
    }
  }

  delete(id: string): void {
    const rec = this.records.get(id);
    if (!rec) return;
    this.records.delete(id);
    rec.live = false;
    for (const o of this.queues(rec.owners)) {
      o.count--;
      o.dead++;
      if (o.count === 0) {
        o.queue = [];
        o.head = 0;
        o.dead = 0;
      } else if (o.dead > 64 && o.dead > o.count) {
        o.queue = o.queue.slice(o.head).filter((r) => r.live);
        o.head = 0;
        o.dead = 0;
      }
    }
  }

  count(owner: string): number {
    return this.by.get(owner)?.count ?? 0;
  }

  /** The owner's oldest live record (deleted ones at the head of its queue are dropped on the way). */
  oldest(owner: string): R | undefined {
    const o = this.by.get(owner);
    if (!o || o.count === 0) return undefined;
    while (!o.queue[o.head]!.live) {
      o.head++;
      o.dead--;
    }
    // The consumed front is cut off once it is half the array, so the queue never holds more than twice its records.
    if (o.head > 64 && o.head * 2 > o.queue.length) {
      o.queue = o.queue.slice(o.head);
      o.head = 0;
    }
    return o.queue[o.head] as R;
  }
}

/** Whole seconds until `ms` (at least 1): a Retry-After. */
const secondsUntil = (ms: number, now: number) => Math.max(1, Math.ceil((ms - now) / 1000));

/** Index of one ordered draft list: records sorted by seq, removable by binary search. */
function removeBySeq(list: DraftRec[], seq: number): void {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = list[mid]!.seq;
    if (s === seq) {
      list.splice(mid, 1);
      return;
    }
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
}

/** Index of the first record with seq >= `seq` (list.length when none). */
function lowerBound(list: readonly DraftRec[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Store {
  /** Use addApp to insert: the listing index must see every app. */
  readonly apps = new Map<string, AppRec>();
  /** Apps in creation order (apps are never removed): a page of the listing is a slice, never a scan. */
  private readonly appList: AppRec[] = [];
  /** Use addKey to insert: the per-app index must see every key. */
  readonly keys = new Map<string, KeyRec>();
  /** token hash → key id */
  readonly keyByHash = new Map<string, string>();
  /** Each app's keys in creation order (keys are never removed): revoking an app reads its own keys, not every key. */
  private readonly keysByApp = new Map<string, KeyRec[]>();
  /** Use addDraft to insert: the listing index must see every draft. */
  readonly drafts = new Map<string, DraftRec>();
  private readonly allDrafts: DraftRec[] = [];
  private readonly draftsByApp = new Map<string, DraftRec[]>();
  private readonly draftsByOrg = new Map<string, DraftRec[]>();
  /** Live preflights, by id and by owner, with their expiry. */
  private readonly preflightOwners = new OwnerIndex<PreflightRec & Held>((rec) => rec.expiresAt);
  /** Idempotency records, by id and by owner, with their creation time. */
  private readonly idemOwners = new OwnerIndex<IdemRec & Held>((rec) => rec.createdMs ?? 0);
  /** The owners of each app's records (an app's tenant never changes): built once per app, not per record. */
  private readonly owners = new Map<string, readonly [string, string, string]>();
  private nextSeq = 1;

  constructor(readonly limits: StoreLimits = DEFAULT_STORE_LIMITS) {}

  /** Live preflights by id (change them with addPreflight/deletePreflight: the per-owner caps must see every one). */
  get preflights(): ReadonlyMap<string, Readonly<PreflightRec>> {
    return this.preflightOwners.records;
  }

  /** Idempotency records by id (change them with setIdempotency/deleteIdempotency: the per-owner caps must see every one). */
  get idempotency(): ReadonlyMap<string, Readonly<IdemRec>> {
    return this.idemOwners.records;
  }

  keysOf(appId: string): readonly KeyRec[] {
    return this.keysByApp.get(appId) ?? [];
  }

  addKey(key: KeyRec): void {
    this.keys.set(key.id, key);
    this.keyByHash.set(key.token_hash, key.id);
    const mine = this.keysByApp.get(key.app_id);
    if (mine) mine.push(key);
    else this.keysByApp.set(key.app_id, [key]);
  }

  addApp(app: AppRec): void {
    this.apps.set(app.id, app);
    this.appList.push(app);
  }

  /**
   * One page of apps in creation order, starting after the first `after` apps (a cursor is that count):
   * apps are only ever appended, so a cursor stays valid while apps are created between pages.
   */
  pageApps(limit: number, after: number): { items: AppRec[]; next: number | null } {
    const items = this.appList.slice(after, after + limit);
    const end = after + items.length;
    return { items, next: end < this.appList.length ? end : null };
  }

  /** The next draft sequence number (creation order). */
  seq(): number {
    return this.nextSeq++;
  }

  /** The tenant of an app ('' for an app the store does not hold: its records then share one owner). */
  private orgOf(appId: string): string {
    return this.apps.get(appId)?.org_id ?? '';
  }

  /** The owners a record of `appId` counts against, narrowest first; '*' is the whole server. */
  private ownersOf(appId: string): readonly [string, string, string] {
    let owners = this.owners.get(appId);
    if (owners === undefined) {
      owners = [appOwner(appId), orgOwner(this.orgOf(appId)), '*'];
      // Only an app the store holds: another may yet be added, with its own tenant.
      if (this.apps.has(appId)) this.owners.set(appId, owners);
    }
    return owners;
  }

  addDraft(rec: DraftRec): void {
    this.drafts.set(rec.draft.id, rec);
    this.allDrafts.push(rec);
    for (const [index, key] of [[this.draftsByApp, rec.draft.app_id], [this.draftsByOrg, this.orgOf(rec.draft.app_id)]] as const) {
      let list = index.get(key);
      if (!list) index.set(key, (list = []));
      list.push(rec);
    }
  }

  private removeDraft(rec: DraftRec): void {
    this.drafts.delete(rec.draft.id);
    removeBySeq(this.allDrafts, rec.seq);
    for (const [index, key] of [[this.draftsByApp, rec.draft.app_id], [this.draftsByOrg, this.orgOf(rec.draft.app_id)]] as const) {
      const list = index.get(key);
      if (!list) continue;
      removeBySeq(list, rec.seq);
      if (list.length === 0) index.delete(key);
    }
  }

  /**
   * One page of drafts, newest first: those of `appId` (or all), with `status` (or any), older than the
   * cursor `before` (a seq). Cost is the page plus the skipped non-matching drafts of that app, never the
   * whole store.
   */
  pageDrafts(q: { appId: string | null; status: string | null; limit: number; before: number | null }): { items: DraftRec[]; next: number | null } {
    const list = q.appId === null ? this.allDrafts : (this.draftsByApp.get(q.appId) ?? []);
    const items: DraftRec[] = [];
    let i = (q.before === null ? list.length : lowerBound(list, q.before)) - 1;
    for (; i >= 0 && items.length < q.limit; i--) {
      const rec = list[i]!;
      if (q.status === null || rec.draft.status === q.status) items.push(rec);
    }
    // A next cursor only when something older may still match.
    return { items, next: items.length === q.limit && i >= 0 ? items[items.length - 1]!.seq : null };
  }

  /**
   * Room for one more draft of `appId` under the app's, its tenant's and the server's cap, or why not. At
   * a cap, finished drafts of that owner go first (oldest first), then its pending drafts past retention,
   * in batches of a tenth of the cap so inserts stay O(1) amortized.
   */
  roomForDraft(appId: string, nowMs: number): NoRoom | null {
    const l = this.limits;
    return this.draftRoom(this.draftsByApp.get(appId) ?? [], l.appDrafts, 'app', nowMs)
      ?? this.draftRoom(this.draftsByOrg.get(this.orgOf(appId)) ?? [], l.tenantDrafts, 'tenant', nowMs)
      ?? this.draftRoom(this.allDrafts, l.drafts, 'server', nowMs);
  }

  private draftRoom(list: readonly DraftRec[], cap: number, scope: NoRoom['scope'], nowMs: number): NoRoom | null {
    if (list.length < cap) return null;
    const batch = Math.max(1, Math.ceil(cap / 10));
    const old = nowMs - this.limits.retentionMs;
    const victims: DraftRec[] = [];
    for (const rec of list) {
      if (victims.length >= batch) break;
      if (rec.draft.status !== 'draft' || rec.createdMs <= old) victims.push(rec);
    }
    for (const rec of victims) this.removeDraft(rec);
    if (list.length < cap) return null;
    // Every draft left is pending and within retention: the oldest may go once retention has passed it.
    return { store: 'drafts', scope, limit: cap, retryAfterSeconds: secondsUntil(list[0]!.createdMs + this.limits.retentionMs, nowMs) };
  }

  /** Holds a new preflight: a copy of `p` that the owner index can keep (the copy is what stays on the heap). */
  addPreflight(p: PreflightRec): void {
    this.preflightOwners.add({
      id: p.id, appId: p.appId, keyId: p.keyId, actor: p.actor, action: p.action, payload: p.payload, impactHash: p.impactHash,
      witnessHash: p.witnessHash, expiresAt: p.expiresAt, owners: this.ownersOf(p.appId), live: true,
    });
  }

  deletePreflight(id: string): void {
    this.preflightOwners.delete(id);
  }

  /** Room for one more live preflight of `appId`: expired ones of a full owner go; live ones never do. */
  roomForPreflight(appId: string, nowMs: number): NoRoom | null {
    const l = this.limits;
    // Under every cap (the usual case) nothing is evicted: answered before a closure or array is made.
    if (this.underCaps(this.preflightOwners, this.ownersOf(appId), l.appPreflights, l.tenantPreflights, l.preflights)) return null;
    return this.ownedRoom(this.preflightOwners, this.ownersOf(appId), [l.appPreflights, l.tenantPreflights, l.preflights], 'live preflights',
      (expiresAt) => expiresAt <= nowMs, (expiresAt) => expiresAt, (id) => this.deletePreflight(id), nowMs);
  }

  /**
   * Stores an idempotency record of `appId` (a new one counts against the app's, tenant's and server's caps). A
   * record already held is updated in place and keeps the creation time it was counted with.
   */
  setIdempotency(id: string, rec: IdemRec, appId: string): void {
    const held = this.idemOwners.records.get(id);
    if (held) {
      held.fingerprint = rec.fingerprint;
      held.execution = rec.execution;
      return;
    }
    this.idemOwners.add({
      id, fingerprint: rec.fingerprint, execution: rec.execution, createdMs: rec.createdMs, owners: this.ownersOf(appId), live: true,
    });
  }

  deleteIdempotency(id: string): void {
    this.idemOwners.delete(id);
  }

  /** Room for one more idempotency record of `appId`: only records past retention are ever evicted (oldest first). */
  roomForIdempotency(appId: string, nowMs: number): NoRoom | null {
    const l = this.limits;
    if (this.underCaps(this.idemOwners, this.ownersOf(appId), l.appIdempotency, l.tenantIdempotency, l.idempotency)) return null;
    const old = nowMs - l.retentionMs;
    return this.ownedRoom(this.idemOwners, this.ownersOf(appId), [l.appIdempotency, l.tenantIdempotency, l.idempotency], 'idempotency records',
      (createdMs) => createdMs <= old, (createdMs) => createdMs + l.retentionMs, (id) => this.deleteIdempotency(id), nowMs);
  }

  /** Whether the app, its tenant and the server are each under their cap in `index`. */
  private underCaps<R extends Held>(index: OwnerIndex<R>, owners: readonly [string, string, string], app: number, tenant: number, server: number): boolean {
    return index.count(owners[0]) < app && index.count(owners[1]) < tenant && index.count(owners[2]) < server;
  }

  /**
   * For each owner (app, tenant, server) at its cap: evict its records that `gone` allows, oldest first,
   * stopping at the first that must stay (records are in time order); refuse when still at the cap, with
   * the time its oldest record may go.
   */
  private ownedRoom<R extends Held>(
    index: OwnerIndex<R>, owners: readonly [string, string, string], caps: readonly [number, number, number], store: string,
    gone: (t: number) => boolean, freeAt: (t: number) => number, evict: (id: string) => void, nowMs: number,
  ): NoRoom | null {
    const scopes = ['app', 'tenant', 'server'] as const;
    for (let i = 0; i < owners.length; i++) {
      const owner = owners[i]!;
      if (index.count(owner) < caps[i]!) continue;
      for (let r = index.oldest(owner); r !== undefined && gone(index.timeOf(r)); r = index.oldest(owner)) evict(r.id);
      if (index.count(owner) < caps[i]!) continue;
      return { store, scope: scopes[i]!, limit: caps[i]!, retryAfterSeconds: secondsUntil(freeAt(index.timeOf(index.oldest(owner)!)), nowMs) };
    }
    return null;
  }

  static idemKey(appId: string, key: string): string {
    return `${appId}\u0000${key}`;
  }
}

/** The actor an app acts as: its service user (workspace) or its user (personal); null when misconfigured. */
export function actorOf(app: AppRec): string | null {
  return app.scope === 'workspace' ? app.service_user_id : app.user_id;
}
