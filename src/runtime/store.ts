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
  draft: Draft;
  risk: Risk;
  idempotencyKey: string | null;
  /** JCS of {action, payload}: what an idempotency key is bound to. */
  fingerprint: string;
  actor: string | null;
  executions: Execution[];
}

/** What an idempotency key (per app) is bound to: the request fingerprint and, once run, its execution. */
export interface IdemRec {
  fingerprint: string;
  execution: Execution | null;
}

export class Store {
  readonly apps = new Map<string, AppRec>();
  readonly keys = new Map<string, KeyRec>();
  /** token hash → key id */
  readonly keyByHash = new Map<string, string>();
  readonly preflights = new Map<string, PreflightRec>();
  readonly drafts = new Map<string, DraftRec>();
  readonly idempotency = new Map<string, IdemRec>();

  keysOf(appId: string): KeyRec[] {
    return [...this.keys.values()].filter((k) => k.app_id === appId);
  }

  static idemKey(appId: string, key: string): string {
    return `${appId}\u0000${key}`;
  }
}

/** The actor an app acts as: its service user (workspace) or its user (personal); null when misconfigured. */
export function actorOf(app: AppRec): string | null {
  return app.scope === 'workspace' ? app.service_user_id : app.user_id;
}
