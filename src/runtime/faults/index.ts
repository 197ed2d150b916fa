/**
 * The injectable defects of the reference runtime, one file each. A fault names the clauses of the protocol
 * brief it breaks (src/protocol/clauses.ts); the conformance suite must catch every one of them with a check
 * of one of those clauses' requirements (the suite proven both ways). This list is the one registry: a new
 * fault is a new file here plus its entry below.
 */
import { fault as envTextErrors } from './env-text-errors.js';
import { fault as envStackLeak } from './env-stack-leak.js';
import { fault as envStatusMismatch } from './env-status-mismatch.js';
import { fault as envAdminUnauth500 } from './env-admin-unauth-500.js';
import { fault as envMalformedJson500 } from './env-malformed-json-500.js';
import { fault as authnRevocationCache } from './authn-revocation-cache.js';
import { fault as authnIgnoreExpiry } from './authn-ignore-expiry.js';
import { fault as authnAppRevokeKeepsKeys } from './authn-app-revoke-keeps-keys.js';
import { fault as authnTokenInQuery } from './authn-token-in-query.js';
import { fault as authnExpiryGrace } from './authn-expiry-grace.js';
import { fault as authnUnknownTokenAccepted } from './authn-unknown-token-accepted.js';
import { fault as authnRevokedKeyAccepted } from './authn-revoked-key-accepted.js';
import { fault as authnAnyScheme } from './authn-any-scheme.js';
import { fault as authnMissingTokenForbidden } from './authn-missing-token-forbidden.js';
import { fault as authnWorkspaceActsAsCreator } from './authn-workspace-acts-as-creator.js';
import { fault as authnPersonalActsAsCreator } from './authn-personal-acts-as-creator.js';
import { fault as authnBodyBeforeToken } from './authn-body-before-token.js';
import { fault as authnExpiryBeforeRevocation } from './authn-expiry-before-revocation.js';
import { fault as discShowAllTools } from './disc-show-all-tools.js';
import { fault as discWriteNoConfirmation } from './disc-write-no-confirmation.js';
import { fault as discToolNoName } from './disc-tool-no-name.js';
import { fault as discToolNoDescription } from './disc-tool-no-description.js';
import { fault as discToolNoRequiredScopes } from './disc-tool-no-required-scopes.js';
import { fault as discToolNoRisk } from './disc-tool-no-risk.js';
import { fault as discToolNoRequiresConfirmation } from './disc-tool-no-requires-confirmation.js';
import { fault as discManifestNoAppId } from './disc-manifest-no-app-id.js';
import { fault as discManifestNoAppName } from './disc-manifest-no-app-name.js';
import { fault as discManifestNoAppScope } from './disc-manifest-no-app-scope.js';
import { fault as discManifestNoAppOrgId } from './disc-manifest-no-app-org-id.js';
import { fault as discManifestNoTools } from './disc-manifest-no-tools.js';
import { fault as authzReadNoScope } from './authz-read-no-scope.js';
import { fault as authzPartialScopes } from './authz-partial-scopes.js';
import { fault as authzUnknownActionInvalid } from './authz-unknown-action-invalid.js';
import { fault as authzPreflightNoScope } from './authz-preflight-no-scope.js';
import { fault as authzActionsNoScope } from './authz-actions-no-scope.js';
import { fault as tenantCrossRead } from './tenant-cross-read.js';
import { fault as tenantTrustClientOrg } from './tenant-trust-client-org.js';
import { fault as tenantPreflightLeak } from './tenant-preflight-leak.js';
import { fault as tenantMissingContainerEmpty } from './tenant-missing-container-empty.js';
import { fault as tenantTrustPayloadOrg } from './tenant-trust-payload-org.js';
import { fault as abacIpIgnored } from './abac-ip-ignored.js';
import { fault as abacCidrBroken } from './abac-cidr-broken.js';
import { fault as abacLedgerIgnored } from './abac-ledger-ignored.js';
import { fault as abacMaxDaysIgnored } from './abac-max-days-ignored.js';
import { fault as abacNoRedaction } from './abac-no-redaction.js';
import { fault as abacTrustForwardedFor } from './abac-trust-forwarded-for.js';
import { fault as abacIpExactIgnored } from './abac-ip-exact-ignored.js';
import { fault as abacOrgsIgnored } from './abac-orgs-ignored.js';
import { fault as abacInvertedWindowAccepted } from './abac-inverted-window-accepted.js';
import { fault as abacContainersIgnoredOnWrites } from './abac-containers-ignored-on-writes.js';
import { fault as abacOrgsIgnoredOnWrites } from './abac-orgs-ignored-on-writes.js';
import { fault as admNoLimit } from './adm-no-limit.js';
import { fault as admSideEffects } from './adm-side-effects.js';
import { fault as admNoRetryAfter } from './adm-no-retry-after.js';
import { fault as admLimitPerIp } from './adm-limit-per-ip.js';
import { fault as admRefusalCodeDrifts } from './adm-refusal-code-drifts.js';
import { fault as admRefusalBare } from './adm-refusal-bare.js';
import { fault as admRefusalsAudited } from './adm-refusals-audited.js';
import { fault as admLimitPerRoute } from './adm-limit-per-route.js';
import { fault as auditSkipReads } from './audit-skip-reads.js';
import { fault as auditSkipDenials } from './audit-skip-denials.js';
import { fault as auditTokenLeak } from './audit-token-leak.js';
import { fault as auditSkipReject } from './audit-skip-reject.js';
import { fault as auditSkipReplay } from './audit-skip-replay.js';
import { fault as auditSkipAdmin } from './audit-skip-admin.js';
import { fault as auditNoId } from './audit-no-id.js';
import { fault as auditNoAppId } from './audit-no-app-id.js';
import { fault as auditNoKeyId } from './audit-no-key-id.js';
import { fault as auditNoActorUserId } from './audit-no-actor-user-id.js';
import { fault as auditNoPerformedByUserId } from './audit-no-performed-by-user-id.js';
import { fault as auditNoAction } from './audit-no-action.js';
import { fault as auditNoStatus } from './audit-no-status.js';
import { fault as auditNoDraftId } from './audit-no-draft-id.js';
import { fault as auditNoExecutionId } from './audit-no-execution-id.js';
import { fault as auditNoIp } from './audit-no-ip.js';
import { fault as auditNoUserAgent } from './audit-no-user-agent.js';
import { fault as auditNoCreatedAt } from './audit-no-created-at.js';
import { fault as auditSkipPreflight } from './audit-skip-preflight.js';
import { fault as auditSkipDraftCreated } from './audit-skip-draft-created.js';
import { fault as auditSkipAutoExecuteRequested } from './audit-skip-auto-execute-requested.js';
import { fault as auditSkipApprove } from './audit-skip-approve.js';
import { fault as auditSkipExecute } from './audit-skip-execute.js';
import { fault as auditNoReasonCode } from './audit-no-reason-code.js';
import { fault as auditPayloadUnredacted } from './audit-payload-unredacted.js';
import { fault as writeExecuteImmediately } from './write-execute-immediately.js';
import { fault as writeDoubleExecute } from './write-double-execute.js';
import { fault as writeRejectExecutes } from './write-reject-executes.js';
import { fault as writeReapprove } from './write-reapprove.js';
import { fault as writeDraftCrossApp } from './write-draft-cross-app.js';
import { fault as writeReviewFailed } from './write-review-failed.js';
import { fault as autoexecIgnoreExpiry } from './autoexec-ignore-expiry.js';
import { fault as autoexecIgnoreAllowed } from './autoexec-ignore-allowed.js';
import { fault as autoexecIgnoreForceDraft } from './autoexec-ignore-force-draft.js';
import { fault as autoexecWritesCoverHighRisk } from './autoexec-writes-cover-high-risk.js';
import { fault as autoexecHighRiskIgnoreExpiry } from './autoexec-high-risk-ignore-expiry.js';
import { fault as autoexecHighRiskIgnoreAllowed } from './autoexec-high-risk-ignore-allowed.js';
import { fault as autoexecNoReviewPath } from './autoexec-no-review-path.js';
import { fault as preflightHashNotJcs } from './preflight-hash-not-jcs.js';
import { fault as preflightNotRequired } from './preflight-not-required.js';
import { fault as preflightSkipCompare } from './preflight-skip-compare.js';
import { fault as preflightIdUnbound } from './preflight-id-unbound.js';
import { fault as idemNoReplay } from './idem-no-replay.js';
import { fault as idemRace } from './idem-race.js';
import { fault as idemMismatchRuns } from './idem-mismatch-runs.js';
import { fault as witnessHashWrong } from './witness-hash-wrong.js';
import { fault as witnessSkipOnCreate } from './witness-skip-on-create.js';
import { fault as witnessSkipOnApprove } from './witness-skip-on-approve.js';
import { fault as witnessSkipOnAutoExecute } from './witness-skip-on-auto-execute.js';
import { fault as witnessConfirmsOnRefusal } from './witness-confirms-on-refusal.js';
import { fault as fuzzCrashDeepNesting } from './fuzz-crash-deep-nesting.js';
import { fault as fuzzEchoToken } from './fuzz-echo-token.js';
import { fault as fuzzRepeatedQueryCrash } from './fuzz-repeated-query-crash.js';
import { fault as fuzzAdminQueryCrash } from './fuzz-admin-query-crash.js';
import { fault as fuzzAuthHeaderCrash } from './fuzz-auth-header-crash.js';
import { fault as fuzz4xxWithoutMessage } from './fuzz-4xx-without-message.js';
import { fault as fuzzObeysInjectedText } from './fuzz-obeys-injected-text.js';
import type { FaultDef } from './fault.js';
import { selectByName, type Selection } from '../name-set.js';
import { clause, type Clause } from '../../protocol/clauses.js';

export type { FaultDef } from './fault.js';

export const FAULTS = [
  envTextErrors,
  envStackLeak,
  envStatusMismatch,
  envAdminUnauth500,
  envMalformedJson500,
  authnRevocationCache,
  authnIgnoreExpiry,
  authnAppRevokeKeepsKeys,
  authnTokenInQuery,
  authnExpiryGrace,
  authnUnknownTokenAccepted,
  authnRevokedKeyAccepted,
  authnAnyScheme,
  authnMissingTokenForbidden,
  authnWorkspaceActsAsCreator,
  authnPersonalActsAsCreator,
  authnBodyBeforeToken,
  authnExpiryBeforeRevocation,
  discShowAllTools,
  discWriteNoConfirmation,
  discToolNoName,
  discToolNoDescription,
  discToolNoRequiredScopes,
  discToolNoRisk,
  discToolNoRequiresConfirmation,
  discManifestNoAppId,
  discManifestNoAppName,
  discManifestNoAppScope,
  discManifestNoAppOrgId,
  discManifestNoTools,
  authzReadNoScope,
  authzPartialScopes,
  authzUnknownActionInvalid,
  authzPreflightNoScope,
  authzActionsNoScope,
  tenantCrossRead,
  tenantTrustClientOrg,
  tenantPreflightLeak,
  tenantMissingContainerEmpty,
  tenantTrustPayloadOrg,
  abacIpIgnored,
  abacCidrBroken,
  abacLedgerIgnored,
  abacMaxDaysIgnored,
  abacNoRedaction,
  abacTrustForwardedFor,
  abacIpExactIgnored,
  abacOrgsIgnored,
  abacInvertedWindowAccepted,
  abacContainersIgnoredOnWrites,
  abacOrgsIgnoredOnWrites,
  admNoLimit,
  admSideEffects,
  admNoRetryAfter,
  admLimitPerIp,
  admRefusalCodeDrifts,
  admRefusalBare,
  admRefusalsAudited,
  admLimitPerRoute,
  auditSkipReads,
  auditSkipDenials,
  auditTokenLeak,
  auditSkipReject,
  auditSkipReplay,
  auditSkipAdmin,
  auditNoId,
  auditNoAppId,
  auditNoKeyId,
  auditNoActorUserId,
  auditNoPerformedByUserId,
  auditNoAction,
  auditNoStatus,
  auditNoDraftId,
  auditNoExecutionId,
  auditNoIp,
  auditNoUserAgent,
  auditNoCreatedAt,
  auditSkipPreflight,
  auditSkipDraftCreated,
  auditSkipAutoExecuteRequested,
  auditSkipApprove,
  auditSkipExecute,
  auditNoReasonCode,
  auditPayloadUnredacted,
  writeExecuteImmediately,
  writeDoubleExecute,
  writeRejectExecutes,
  writeReapprove,
  writeDraftCrossApp,
  writeReviewFailed,
  autoexecIgnoreExpiry,
  autoexecIgnoreAllowed,
  autoexecIgnoreForceDraft,
  autoexecWritesCoverHighRisk,
  autoexecHighRiskIgnoreExpiry,
  autoexecHighRiskIgnoreAllowed,
  autoexecNoReviewPath,
  preflightHashNotJcs,
  preflightNotRequired,
  preflightSkipCompare,
  preflightIdUnbound,
  idemNoReplay,
  idemRace,
  idemMismatchRuns,
  witnessHashWrong,
  witnessSkipOnCreate,
  witnessSkipOnApprove,
  witnessSkipOnAutoExecute,
  witnessConfirmsOnRefusal,
  fuzzCrashDeepNesting,
  fuzzEchoToken,
  fuzzRepeatedQueryCrash,
  fuzzAdminQueryCrash,
  fuzzAuthHeaderCrash,
  fuzz4xxWithoutMessage,
  fuzzObeysInjectedText,
] as const;

export type FaultName = (typeof FAULTS)[number]['name'];

/** The clause rows a fault names; an unknown clause id (or none at all) is an error naming the fault. */
export function faultClauses(f: FaultDef): Clause[] {
  if (f.clauses.length === 0) throw new Error(`fault ${f.name} names no clause`);
  return f.clauses.map((id) => {
    try {
      return clause(id);
    } catch {
      throw new Error(`fault ${f.name} names unknown clause id ${id} (src/protocol/clauses.ts)`);
    }
  });
}

/**
 * The requirements whose checks must catch a fault: those of the clauses it breaks, in clause order, each
 * once. Derived, never declared, so a fault and the clause table cannot disagree.
 */
export function faultRequirements(f: FaultDef): string[] {
  return [...new Set(faultClauses(f).flatMap((c) => c.requirements))];
}

// Checked when the registry loads: a fault naming a clause the table does not have never reaches a run.
for (const f of FAULTS) faultClauses(f);

export function listFaults(): readonly FaultDef[] {
  return FAULTS;
}

/** The faults injected into one runtime: their hook overrides, composed by createRuntime. Unknown names throw. */
export function selectFaults(names: readonly string[]): Selection {
  return selectByName('fault', FAULTS, names);
}
