/** The state and helpers every plane handler shares. */
import type { ReasonCode } from '../protocol/codes.js';
import { impactHash, witnessHash } from '../protocol/hash.js';
import type { AuditEvent, ToolDescriptor } from '../protocol/types.js';
import type { AuditLog } from './audit.js';
import type { Container, Domain } from './domain.js';
import { ApiError } from './errors.js';
import { effectiveData } from './policy.js';
import type { FaultSet } from './faults/index.js';
import type { VariantSet } from './variants/index.js';
import { naiveImpactHash } from './faults/preflight-hash-not-jcs.js';
import { naiveWitnessHash } from './faults/witness-hash-wrong.js';
import type { IdSource } from './ids.js';
import type { AppRec, KeyRec, Store } from './store.js';

export interface Core {
  readonly store: Store;
  readonly domain: Domain;
  readonly audit: AuditLog;
  readonly faults: FaultSet;
  readonly variants: VariantSet;
  readonly ids: IdSource;
  now(): number;
  iso(): string;
}

/** Who an agent-plane event is about, as far as authentication got. */
export interface Subject {
  app: AppRec | null;
  key: KeyRec | null;
  actor: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** Raw Authorization header; only the audit-token-leak fault ever records it. */
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

export function auditAgent(
  core: Core,
  s: Subject,
  e: Pick<AuditEvent, 'action' | 'status'> & Partial<Pick<AuditEvent, 'code' | 'draft_id' | 'execution_id' | 'details' | 'performed_by_user_id'>> & { read?: boolean },
): void {
  if (e.read && core.faults.has('audit-skip-reads')) return;
  if (e.status === 'denied' && core.faults.has('audit-skip-denials')) return;
  const details = core.faults.has('audit-token-leak') ? { ...e.details, authorization: s.authorization } : e.details;
  core.audit.record({
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
    details: details ?? null,
  });
}

export function findTool(core: Core, name: string): ToolDescriptor | undefined {
  return core.domain.tools.find((t) => t.name === name);
}

/** Scopes a tool needs, as this runtime checks them (authz-partial-scopes checks only the first). */
export function holdsScopes(core: Core, app: AppRec, tool: ToolDescriptor): boolean {
  const needed = core.faults.has('authz-partial-scopes') ? tool.requiredScopes.slice(0, 1) : tool.requiredScopes;
  return needed.every((s) => app.scopes.includes(s));
}

export function hashImpact(core: Core, action: string, payload: unknown, impact: unknown): string {
  return core.faults.has('preflight-hash-not-jcs') ? naiveImpactHash(action, payload, impact) : impactHash(action, payload, impact);
}

export function hashWitness(core: Core, witness: unknown): string {
  return core.faults.has('witness-hash-wrong') ? naiveWitnessHash(witness) : witnessHash(witness);
}

/** Tenant boundary and data policy (allowed orgs and containers) for a container a request touches. */
export function checkContainer(core: Core, ctx: AgentCtx, container: Container, opts: { skipTenant?: boolean } = {}): void {
  if (!opts.skipTenant && container.orgId !== ctx.orgId) {
    if (core.variants.has('cross-tenant-404')) throw new ApiError('agent.not_found', 'Resource not found');
    throw new ApiError('agent.policy_denied', 'Resource is outside this app\'s tenant');
  }
  checkDataPolicy(core, ctx, container.id);
}

export function checkDataPolicy(core: Core, ctx: AgentCtx, containerId?: string): void {
  const data = effectiveData(ctx.app.policy, core.domain.containerPolicyField);
  if (data.allowedOrgIds !== null && !data.allowedOrgIds.includes(ctx.orgId)) {
    throw new ApiError('agent.policy_denied', 'Organization is not allowed by data policy');
  }
  const allowed = data.allowedContainerIds;
  if (containerId !== undefined && allowed !== null && !core.faults.has('abac-ledger-ignored') && !allowed.includes(containerId)) {
    throw new ApiError('agent.policy_denied', `${core.domain.containerNoun} is not allowed by data policy`);
  }
}
