/** The state and helpers every plane handler shares. */
import type { ReasonCode } from '../protocol/codes.js';
import type { AuditEvent, ToolDescriptor } from '../protocol/types.js';
import type { AuditLog } from './audit.js';
import type { Container, Domain, DomainRead } from './domain.js';
import { ApiError } from './errors.js';
import type { Hooks, TenantCheckpoint } from './hooks.js';
import { effectiveData } from './policy.js';
import type { IdSource } from './ids.js';
import type { AppRec, KeyRec, Store } from './store.js';

export interface Core {
  readonly store: Store;
  readonly domain: Domain;
  readonly audit: AuditLog;
  /** The decision points, with this runtime's faults and variants composed in (src/runtime/hooks.ts). */
  readonly hooks: Hooks;
  readonly ids: IdSource;
  now(): number;
  iso(): string;
  /** The clock of the windows a client waits out: a preflight's lifetime (RuntimeOptions.windowNow). */
  windowNow(): number;
}

/** Who an agent-plane event is about, as far as authentication got. */
export interface Subject {
  app: AppRec | null;
  key: KeyRec | null;
  actor: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** Raw Authorization header; the default hooks never record it. */
  authorization: string | undefined;
}

/** An authenticated agent request. */
export interface AgentCtx extends Subject {
  app: AppRec;
  key: KeyRec;
  actor: string;
  /** The tenant the request acts in: the app's org_id, never client input. */
  orgId: string;
  query: URLSearchParams;
}

const DENIAL_CODES = new Set<string>([
  'agent.token_invalid', 'agent.token_expired', 'agent.forbidden', 'agent.scope_denied', 'agent.policy_denied',
  'agent.precondition_failed',
]);

/** Security refusals are `denied`; malformed or impossible requests are `failed`. */
export function auditStatusFor(code: ReasonCode): AuditEvent['status'] {
  return DENIAL_CODES.has(code) ? 'denied' : 'failed';
}

/** An agent-plane audit event as a handler states it; `read` marks the event of a read. */
export type AgentEvent = Pick<AuditEvent, 'action' | 'status'>
  & Partial<Pick<AuditEvent, 'code' | 'draft_id' | 'execution_id' | 'details' | 'performed_by_user_id'>>
  & {
    read?: boolean;
    /** `details` was built for this event alone and is never changed after (AuditLog.record's ownDetails). */
    ownDetails?: boolean;
  };

export function auditAgent(core: Core, s: Subject, e: AgentEvent): void {
  core.hooks.auditEvent(s, e);
}

/** Writes an agent-plane event about subject `s` to the log. */
export function recordAgentEvent(audit: AuditLog, s: Subject, e: AgentEvent): void {
  audit.record({
    app_id: s.app?.id ?? null,
    key_id: s.key?.id ?? null,
    actor_user_id: s.actor,
    performed_by_user_id: e.performed_by_user_id ?? s.actor,
    action: e.action,
    status: e.status,
    code: e.code ?? null,
    request_id: s.requestId,
    draft_id: e.draft_id ?? null,
    execution_id: e.execution_id ?? null,
    ip: s.ip,
    user_agent: s.userAgent,
    details: e.details ?? null,
  }, e.ownDetails);
}

export function findTool(core: Core, name: string): ToolDescriptor | undefined {
  return core.domain.tools.find((t) => t.name === name);
}

/** Whether an app holds every scope a call of `tool` requires (`read`: the read route, for reads; `query`: its query). */
export function holdsScopes(core: Core, app: AppRec, tool: ToolDescriptor, read?: DomainRead, query?: URLSearchParams): boolean {
  return core.hooks.requiredScopes(tool, read, query).every((s) => app.scopes.includes(s));
}

/** Tenant boundary and data policy (allowed orgs and containers) for a container a request touches `at`. */
export function checkContainer(core: Core, ctx: AgentCtx, container: Container, at: TenantCheckpoint, tool: string): void {
  if (container.orgId !== ctx.orgId) {
    const refusal = core.hooks.crossTenant(at, tool);
    if (refusal) throw refusal;
  }
  checkDataPolicy(core, ctx, at, container.id, tool);
}

export function checkDataPolicy(core: Core, ctx: AgentCtx, at: TenantCheckpoint, containerId?: string, tool?: string): void {
  const data = effectiveData(ctx.app.policy, core.domain.containerPolicyField);
  const orgs = core.hooks.allowedOrgs(data, at);
  if (orgs !== null && !orgs.includes(ctx.orgId)) {
    throw new ApiError('agent.policy_denied', 'Organization is not allowed by data policy');
  }
  if (containerId === undefined) return;
  const allowed = core.hooks.allowedContainers(data, at, tool);
  if (allowed !== null && !allowed.includes(containerId)) {
    throw new ApiError('agent.policy_denied', `${core.domain.containerNoun} is not allowed by data policy`);
  }
}
