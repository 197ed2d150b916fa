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
    /** The demo domain's container allow-list; another domain names its own (e.g. allowed_project_ids). */
    allowed_ledger_ids?: string[] | null;
    allowed_org_ids?: string[] | null;
    max_days?: number | null;
    allow_sensitive_fields?: boolean;
    /** The domain's container allow-list field, whatever its name. */
    [containerAllowList: string]: string[] | number | boolean | null | undefined;
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
