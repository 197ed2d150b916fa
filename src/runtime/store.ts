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

/**
 * Bounds of stored state (docs/runtime-limits.md). Within `retentionMs` of its creation no pending draft
 * and no idempotency record is ever evicted; at a cap with nothing evictable, new writes are refused
 * with 429 agent.rate_limited, details.reason "storage_full" and a Retry-After.
 */
export interface StoreLimits {
  drafts: number;
  idempotency: number;
  preflights: number;
  apps: number;
  keys: number;
  retentionMs: number;
}

export const DEFAULT_STORE_LIMITS: StoreLimits = {
  drafts: 5_000,
  idempotency: 10_000,
  preflights: 5_000,
  apps: 5_000,
  keys: 10_000,
  retentionMs: 24 * 60 * 60_000,
};

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
  readonly keys = new Map<string, KeyRec>();
  /** token hash → key id */
  readonly keyByHash = new Map<string, string>();
  readonly preflights = new Map<string, PreflightRec>();
  /** Use addDraft to insert: the listing index must see every draft. */
  readonly drafts = new Map<string, DraftRec>();
  readonly idempotency = new Map<string, IdemRec>();
  private readonly allDrafts: DraftRec[] = [];
  private readonly draftsByApp = new Map<string, DraftRec[]>();
  private nextSeq = 1;

  constructor(readonly limits: StoreLimits = DEFAULT_STORE_LIMITS) {}

  keysOf(appId: string): KeyRec[] {
    return [...this.keys.values()].filter((k) => k.app_id === appId);
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

  addDraft(rec: DraftRec): void {
    this.drafts.set(rec.draft.id, rec);
    this.allDrafts.push(rec);
    let list = this.draftsByApp.get(rec.draft.app_id);
    if (!list) this.draftsByApp.set(rec.draft.app_id, (list = []));
    list.push(rec);
  }

  private removeDraft(rec: DraftRec): void {
    this.drafts.delete(rec.draft.id);
    removeBySeq(this.allDrafts, rec.seq);
    const list = this.draftsByApp.get(rec.draft.app_id);
    if (list) {
      removeBySeq(list, rec.seq);
      if (list.length === 0) this.draftsByApp.delete(rec.draft.app_id);
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
   * Make room for one more draft, or say there is none: finished drafts go first (oldest first), then
   * pending drafts past retention. Evicts in batches of a tenth of the cap so inserts stay O(1) amortized.
   */
  roomForDraft(nowMs: number): boolean {
    if (this.drafts.size < this.limits.drafts) return true;
    const batch = Math.max(1, Math.ceil(this.limits.drafts / 10));
    const old = nowMs - this.limits.retentionMs;
    const victims: DraftRec[] = [];
    for (const rec of this.allDrafts) {
      if (victims.length >= batch) break;
      if (rec.draft.status !== 'draft' || rec.createdMs <= old) victims.push(rec);
    }
    for (const rec of victims) this.removeDraft(rec);
    return this.drafts.size < this.limits.drafts;
  }

  /** Room for one more idempotency record: only records past retention are ever evicted (oldest first). */
  roomForIdempotency(nowMs: number): boolean {
    if (this.idempotency.size < this.limits.idempotency) return true;
    const old = nowMs - this.limits.retentionMs;
    for (const [k, rec] of this.idempotency) {
      if ((rec.createdMs ?? 0) > old) break;
      this.idempotency.delete(k);
    }
    return this.idempotency.size < this.limits.idempotency;
  }

  static idemKey(appId: string, key: string): string {
    return `${appId}\u0000${key}`;
  }
}

/** The actor an app acts as: its service user (workspace) or its user (personal); null when misconfigured. */
export function actorOf(app: AppRec): string | null {
  return app.scope === 'workspace' ? app.service_user_id : app.user_id;
}
