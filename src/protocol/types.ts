/** Envelope and object types of OpenPort agent/v1 (wire names as the binding uses them). */
import type { ReasonCode } from './codes.js';

export interface SuccessEnvelope<T = unknown> { ok: true; code: 'common.success'; data: T }
export interface ValidationIssue { code: string; path: (string | number)[]; message: string }
export interface ErrorEnvelope {
  ok: false;
  code: ReasonCode | string;
  message: string;
  details?: Record<string, unknown> & { issues?: ValidationIssue[]; reason?: string };
}
export type Envelope<T = unknown> = SuccessEnvelope<T> | ErrorEnvelope;

export type Risk = 'low' | 'medium' | 'high';
export type AppScope = 'workspace' | 'personal';

export interface ToolDescriptor {
  kind?: string;
  name: string;
  description: string;
  requiredScopes: string[];
  risk: Risk;
  requiresConfirmation: boolean;
  http?: { method: string; path: string };
  inputSchema?: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
}

export interface Manifest {
  app: { id: string; name: string; scope: AppScope; orgId: string };
  tools: ToolDescriptor[];
}

export interface PolicyConfig {
  network?: { allowed_ips?: string[] };
  data?: {
    allowed_ledger_ids?: string[] | null;
    allowed_org_ids?: string[] | null;
    max_days?: number | null;
    allow_sensitive_fields?: boolean;
    /** A domain names its own container allow-list field (the brief's demo: allowed_ledger_ids). */
    [containerField: string]: string[] | number | boolean | null | undefined;
  };
}

export interface AutoExecuteWindow { enabled?: boolean; expires_at?: string | null; allowed_actions?: string[] }
export interface AutoExecuteConfig {
  writes?: AutoExecuteWindow;
  high_risk?: AutoExecuteWindow & { require_preflight?: boolean; require_idempotency?: boolean; max_export_rows?: number };
}

export type DraftStatus = 'draft' | 'confirmed' | 'canceled' | 'failed';
export interface Draft {
  id: string;
  app_id: string;
  key_id: string;
  action_type: string;
  payload: unknown;
  status: DraftStatus;
  requires_confirmation: boolean;
  auto_execute_requested: boolean;
  justification: string | null;
  preflight_hash: string | null;
  preflight_state_witness_hash: string | null;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  canceled_at: string | null;
  [extra: string]: unknown;
}

export interface Execution {
  id: string;
  draft_id: string;
  app_id: string;
  idempotency_key: string | null;
  status: 'success' | 'failed';
  result: unknown;
  error: unknown;
  created_at: string;
}

export interface AuditEvent {
  id: string;
  app_id: string | null;
  key_id: string | null;
  actor_user_id: string | null;
  performed_by_user_id: string | null;
  action: string;
  status: 'success' | 'denied' | 'failed';
  code: string | null;
  request_id: string | null;
  draft_id: string | null;
  execution_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown> | null;
  created_at: string;
}

export interface PreflightResult {
  action: string;
  risk: Risk;
  requiresConfirmation: boolean;
  impact: unknown;
  impactHash: string;
  stateWitness?: unknown;
  stateWitnessHash?: string;
  preflightId: string;
}

/** The agent-plane and admin-plane path prefixes of the HTTP binding. */
export const AGENT_BASE = '/api/agent/v1';
export const ADMIN_BASE = '/api/agent-admin/v1';

/** Is this (path with query, relative to the base URL) the admin plane's audit listing? */
export function isAuditRoute(pathWithQuery: string): boolean {
  return pathWithQuery.split('?')[0] === `${ADMIN_BASE}/audit`;
}

/**
 * The routes of the HTTP binding that every server has (brief section 3), as [method, path pattern]; a read
 * tool's route is the domain's own (a target description names it). `:id` stands for one path segment.
 */
export const BINDING_ROUTES: readonly (readonly [string, string])[] = [
  ['GET', `${AGENT_BASE}/manifest`], ['POST', `${AGENT_BASE}/preflight`], ['POST', `${AGENT_BASE}/actions`], ['GET', `${AGENT_BASE}/drafts/:id`],
  ['GET', `${ADMIN_BASE}/apps`], ['POST', `${ADMIN_BASE}/apps`], ['POST', `${ADMIN_BASE}/apps/:id/keys`], ['POST', `${ADMIN_BASE}/apps/:id/revoke`],
  ['POST', `${ADMIN_BASE}/keys/:id/revoke`], ['PATCH', `${ADMIN_BASE}/apps/:id/policy`], ['PATCH', `${ADMIN_BASE}/apps/:id/auto-execute`],
  ['GET', `${ADMIN_BASE}/apps/:id/tools`], ['GET', `${ADMIN_BASE}/drafts`], ['GET', `${ADMIN_BASE}/drafts/:id`], ['POST', `${ADMIN_BASE}/drafts/:id/approve`],
  ['POST', `${ADMIN_BASE}/drafts/:id/reject`], ['GET', `${ADMIN_BASE}/audit`], ['GET', '/healthz'],
];

/**
 * Is this request a wrong method on a known route (the path is a route of the binding, or one of `readPaths`,
 * and no route of that path takes this method)? Only then may a not-found answer be 405.
 */
export function wrongMethodOnKnownRoute(method: string, pathWithQuery: string, readPaths: readonly string[] = NO_PATHS): boolean {
  const got = segmentsOf(pathWithQuery);
  const upper = method.toUpperCase();
  let known = false;
  for (const [m, want] of routeTable(readPaths)) {
    if (!matches(want, got)) continue;
    if (m === upper) return false;
    known = true;
  }
  return known;
}

/**
 * The path pattern of the route of the binding, or of one of `readPaths`, that this path (with query) is a
 * request to, whatever its method: `/api/agent-admin/v1/drafts/%2e%2e/approve` is
 * `/api/agent-admin/v1/drafts/:id/approve`. Undefined for a path no route has.
 */
export function routePattern(pathWithQuery: string, readPaths: readonly string[] = NO_PATHS): string | undefined {
  const got = segmentsOf(pathWithQuery);
  return routeTable(readPaths).find(([, want]) => matches(want, got))?.[1].join('/');
}

function segmentsOf(pathWithQuery: string): string[] {
  return pathWithQuery.split('?')[0]!.split('/');
}

/** A route's segments match a path's: the same count, each the same or `:id` for any non-empty one. */
function matches(want: readonly string[], got: readonly string[]): boolean {
  return want.length === got.length && want.every((w, i) => (w === ':id' ? got[i] !== '' : w === got[i]));
}

/**
 * The binding's routes and the target's read paths, each split into segments once: the journal-wide checks
 * ask this of every response of a run. Kept per read-path list (a run's target holds one).
 */
const NO_PATHS: readonly string[] = [];
const ROUTE_TABLES = new WeakMap<readonly string[], readonly (readonly [string, readonly string[]])[]>();
function routeTable(readPaths: readonly string[]): readonly (readonly [string, readonly string[]])[] {
  let table = ROUTE_TABLES.get(readPaths);
  if (!table) {
    table = [...BINDING_ROUTES, ...readPaths.map((p) => ['GET', p] as const)].map(([m, p]) => [m, p.split('/')] as const);
    ROUTE_TABLES.set(readPaths, table);
  }
  return table;
}

const READ_PATHS = new WeakMap<readonly { path: string }[], readonly string[]>();
/** The paths of a target's read routes, as one list per target (so the route table above is built once). */
export function readPathsOf(reads: readonly { path: string }[]): readonly string[] {
  let paths = READ_PATHS.get(reads);
  if (!paths) READ_PATHS.set(reads, (paths = reads.map((r) => r.path)));
  return paths;
}
