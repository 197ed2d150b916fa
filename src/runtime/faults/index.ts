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
import { fault as envRouteMissingManifest } from './env-route-missing-manifest.js';
import { fault as envRouteMissingPreflight } from './env-route-missing-preflight.js';
import { fault as envRouteMissingActions } from './env-route-missing-actions.js';
import { fault as envRouteMissingDrafts } from './env-route-missing-drafts.js';
import { fault as envRouteMissingListRead } from './env-route-missing-list-read.js';
import { fault as envRouteMissingPagedRead } from './env-route-missing-paged-read.js';
import { fault as envPageSizeUnbounded } from './env-page-size-unbounded.js';
import { fault as envPageHasMoreFalse } from './env-page-has-more-false.js';
import { fault as envAdminMissingAppsList } from './env-admin-missing-apps-list.js';
import { fault as envAdminMissingAppsCreate } from './env-admin-missing-apps-create.js';
import { fault as envAdminMissingKeysCreate } from './env-admin-missing-keys-create.js';
import { fault as envAdminMissingAppsRevoke } from './env-admin-missing-apps-revoke.js';
import { fault as envAdminMissingKeysRevoke } from './env-admin-missing-keys-revoke.js';
import { fault as envAdminMissingPolicy } from './env-admin-missing-policy.js';
import { fault as envAdminMissingAutoExecute } from './env-admin-missing-auto-execute.js';
import { fault as envAdminMissingTools } from './env-admin-missing-tools.js';
import { fault as envAdminMissingDraftsList } from './env-admin-missing-drafts-list.js';
import { fault as envAdminMissingDraftsGet } from './env-admin-missing-drafts-get.js';
import { fault as envAdminMissingApprove } from './env-admin-missing-approve.js';
import { fault as envAdminMissingReject } from './env-admin-missing-reject.js';
import { fault as envAdminMissingAudit } from './env-admin-missing-audit.js';
import { fault as envHealthzMissing } from './env-healthz-missing.js';
import { fault as envSuccessOkMissing } from './env-success-ok-missing.js';
import { fault as envSuccessCodeOther } from './env-success-code-other.js';
import { fault as envSuccessDataRenamed } from './env-success-data-renamed.js';
import { fault as envFailureOkMissing } from './env-failure-ok-missing.js';
import { fault as envFailureCodeMissing } from './env-failure-code-missing.js';
import { fault as envFailureMessageMissing } from './env-failure-message-missing.js';
import { fault as envSuccessTextPlain } from './env-success-text-plain.js';
import { fault as envValidationIssueNoCode } from './env-validation-issue-no-code.js';
import { fault as envValidationIssueNoPath } from './env-validation-issue-no-path.js';
import { fault as envValidationIssueNoMessage } from './env-validation-issue-no-message.js';
import { fault as envValidationOtherCode } from './env-validation-other-code.js';
import { fault as envValidationNoIssues } from './env-validation-no-issues.js';
import { fault as envQueryValidationNoIssues } from './env-query-validation-no-issues.js';
import { fault as envParseErrorNoIssues } from './env-parse-error-no-issues.js';
import { fault as envSqlLeak } from './env-sql-leak.js';
import { fault as envSecretLeak } from './env-secret-leak.js';
import { fault as envStatusTokenInvalid } from './env-status-token-invalid.js';
import { fault as envStatusTokenExpired } from './env-status-token-expired.js';
import { fault as envStatusForbidden } from './env-status-forbidden.js';
import { fault as envStatusRateLimited } from './env-status-rate-limited.js';
import { fault as envStatusActionUnknown } from './env-status-action-unknown.js';
import { fault as envStatusActionInvalid } from './env-status-action-invalid.js';
import { fault as envStatusNotFound } from './env-status-not-found.js';
import { fault as envStatusDraftNotFound } from './env-status-draft-not-found.js';
import { fault as envStatusDraftAlreadyFinal } from './env-status-draft-already-final.js';
import { fault as envStatusPreflightNotFound } from './env-status-preflight-not-found.js';
import { fault as envStatusPreconditionFailed } from './env-status-precondition-failed.js';
import { fault as envStatusIdempotencyMismatch } from './env-status-idempotency-mismatch.js';
import { fault as envCarrierPreflightMismatch } from './env-carrier-preflight-mismatch.js';
import { fault as envCarrierPreflightRequired } from './env-carrier-preflight-required.js';
import { fault as envCarrierIdempotencyRequired } from './env-carrier-idempotency-required.js';
import { fault as envCarrierAutoExecuteDisabled } from './env-carrier-auto-execute-disabled.js';
import { fault as envCarrierAutoExecuteDenied } from './env-carrier-auto-execute-denied.js';
import { fault as envCarrierAutoExecuteExpired } from './env-carrier-auto-execute-expired.js';
import { fault as envExecutionFailureUnsanitised } from './env-execution-failure-unsanitised.js';
import { fault as authnRevocationCache } from './authn-revocation-cache.js';
import { fault as authnIgnoreExpiry } from './authn-ignore-expiry.js';
import { fault as authnAppRevokeKeepsKeys } from './authn-app-revoke-keeps-keys.js';
import { fault as authnRevokedAppNewKeysWork } from './authn-revoked-app-new-keys-work.js';
import { fault as authnTokenInQuery } from './authn-token-in-query.js';
import { fault as authnExpiryGrace } from './authn-expiry-grace.js';
import { fault as authnExpiryGraceShort } from './authn-expiry-grace-short.js';
import { fault as authnExpirySkippedWithPreflightId } from './authn-expiry-skipped-with-preflight-id.js';
import { fault as authnExpirySkippedWithPage } from './authn-expiry-skipped-with-page.js';
import { fault as authnNetworkBeforeExpiry } from './authn-network-before-expiry.js';
import { fault as authnUnknownTokenAccepted } from './authn-unknown-token-accepted.js';
import { fault as authnRevokedKeyAccepted } from './authn-revoked-key-accepted.js';
import { fault as authnRevokedOddScheme } from './authn-revoked-odd-scheme.js';
import { fault as authnAnyScheme } from './authn-any-scheme.js';
import { fault as authnMissingTokenForbidden } from './authn-missing-token-forbidden.js';
import { fault as authnWorkspaceActsAsCreator } from './authn-workspace-acts-as-creator.js';
import { fault as authnPersonalActsAsCreator } from './authn-personal-acts-as-creator.js';
import { fault as authnBodyBeforeToken } from './authn-body-before-token.js';
import { fault as authnExpiryBeforeRevocation } from './authn-expiry-before-revocation.js';
import { fault as authnNoActorServed } from './authn-no-actor-served.js';
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
import { fault as discManifestPersonalAsWorkspace } from './disc-manifest-personal-as-workspace.js';
import { fault as discManifestNoAppOrgId } from './disc-manifest-no-app-org-id.js';
import { fault as discManifestNoTools } from './disc-manifest-no-tools.js';
import { fault as discManifestOtherApp } from './disc-manifest-other-app.js';
import { fault as envRedirectOffHost } from './env-redirect-off-host.js';
import { fault as authzReadNoScope } from './authz-read-no-scope.js';
import { fault as authzReadScopeSkippedWithPage } from './authz-read-scope-skipped-with-page.js';
import { fault as authzPartialScopes } from './authz-partial-scopes.js';
import { fault as authzUnknownActionInvalid } from './authz-unknown-action-invalid.js';
import { fault as authzPreflightNoScope } from './authz-preflight-no-scope.js';
import { fault as authzActionsNoScope } from './authz-actions-no-scope.js';
import { fault as authzWriteScopeSkippedOnExecute } from './authz-write-scope-skipped-on-execute.js';
import { fault as tenantCrossRead } from './tenant-cross-read.js';
import { fault as tenantSkippedOnExecute } from './tenant-skipped-on-execute.js';
import { fault as tenantSkippedForAllowListedContainer } from './tenant-skipped-for-allow-listed-container.js';
import { fault as tenantSkippedWithForceDraft } from './tenant-skipped-with-force-draft.js';
import { fault as tenantTrustHeaderOnWrites } from './tenant-trust-header-on-writes.js';
import { fault as tenantTrustBodyOrg } from './tenant-trust-body-org.js';
import { fault as tenantTrustClientOrg } from './tenant-trust-client-org.js';
import { fault as tenantPreflightLeak } from './tenant-preflight-leak.js';
import { fault as tenantMissingContainerEmpty } from './tenant-missing-container-empty.js';
import { fault as tenantTrustPayloadOrg } from './tenant-trust-payload-org.js';
import { fault as tenantCrossDraft } from './tenant-cross-draft.js';
import { fault as tenantCrossUnsampledWrites } from './tenant-cross-unsampled-writes.js';
import { fault as tenantBoundaryForbidden } from './tenant-boundary-forbidden.js';
import { fault as abacIpIgnored } from './abac-ip-ignored.js';
import { fault as abacIpSkippedOnExistingDraft } from './abac-ip-skipped-on-existing-draft.js';
import { fault as abacIpSkippedWithPreflightId } from './abac-ip-skipped-with-preflight-id.js';
import { fault as abacIpShortPrefixAny } from './abac-ip-short-prefix-any.js';
import { fault as abacContainersSkippedOnExecute } from './abac-containers-skipped-on-execute.js';
import { fault as abacContainersSkippedWithDates } from './abac-containers-skipped-with-dates.js';
import { fault as abacCidrBroken } from './abac-cidr-broken.js';
import { fault as abacLedgerIgnored } from './abac-ledger-ignored.js';
import { fault as abacMaxDaysIgnored } from './abac-max-days-ignored.js';
import { fault as abacMaxDaysOffByOne } from './abac-max-days-off-by-one.js';
import { fault as abacMaxDaysReadsOnly } from './abac-max-days-reads-only.js';
import { fault as abacMaxDaysSkippedWithPage } from './abac-max-days-skipped-with-page.js';
import { fault as abacMaxDaysPreflightOnly } from './abac-max-days-preflight-only.js';
import { fault as auditSkipHighRiskPreflights } from './audit-skip-high-risk-preflights.js';
import { fault as auditSkipManifestDenials } from './audit-skip-manifest-denials.js';
import { fault as auditReviewByAgent } from './audit-review-by-agent.js';
import { fault as auditSkipHighRiskAutoExecuteRequests } from './audit-skip-high-risk-auto-execute-requests.js';
import { fault as auditSkipHighRiskAutoExecuteDenials } from './audit-skip-high-risk-auto-execute-denials.js';
import { fault as auditSkipWritePolicyDenials } from './audit-skip-write-policy-denials.js';
import { fault as abacNoRedaction } from './abac-no-redaction.js';
import { fault as abacRedactionFirstPageOnly } from './abac-redaction-first-page-only.js';
import { fault as abacRedactionSkippedWithDates } from './abac-redaction-skipped-with-dates.js';
import { fault as abacTrustForwardedFor } from './abac-trust-forwarded-for.js';
import { fault as abacIpExactIgnored } from './abac-ip-exact-ignored.js';
import { fault as abacOrgsIgnored } from './abac-orgs-ignored.js';
import { fault as abacInvertedWindowAccepted } from './abac-inverted-window-accepted.js';
import { fault as abacContainersIgnoredOnWrites } from './abac-containers-ignored-on-writes.js';
import { fault as abacContainersIgnoredOnExport } from './abac-containers-ignored-on-export.js';
import { fault as abacOrgsIgnoredOnWrites } from './abac-orgs-ignored-on-writes.js';
import { fault as admNoLimit } from './adm-no-limit.js';
import { fault as admSideEffects } from './adm-side-effects.js';
import { fault as admNoRetryAfter } from './adm-no-retry-after.js';
import { fault as admLimitPerIp } from './adm-limit-per-ip.js';
import { fault as admRefusalCodeDrifts } from './adm-refusal-code-drifts.js';
import { fault as admRefusalBare } from './adm-refusal-bare.js';
import { fault as admRefusalsAudited } from './adm-refusals-audited.js';
import { fault as admRefusedPollsAudited } from './adm-refused-polls-audited.js';
import { fault as admRefusalsAuditedAsSuccess } from './adm-refusals-audited-as-success.js';
import { fault as admLimitBeforeRevocation } from './adm-limit-before-revocation.js';
import { fault as admLimitPerRoute } from './adm-limit-per-route.js';
import { fault as admLimitPerKeyOnly } from './adm-limit-per-key-only.js';
import { fault as admLimitSkippedWithRequestId } from './adm-limit-skipped-with-request-id.js';
import { fault as fuzzTooDeep200 } from './fuzz-too-deep-200.js';
import { fault as preflightDeleteImpactIdOnly } from './preflight-delete-impact-id-only.js';
import { fault as autoexecMaxExportRowsIgnored } from './autoexec-max-export-rows-ignored.js';
import { fault as autoexecExpiryGrace } from './autoexec-expiry-grace.js';
import { fault as autoexecExpiryGraceShort } from './autoexec-expiry-grace-short.js';
import { fault as autoexecExpiryOffsetIgnored } from './autoexec-expiry-offset-ignored.js';
import { fault as auditSkipReads } from './audit-skip-reads.js';
import { fault as auditSkipDenials } from './audit-skip-denials.js';
import { fault as auditSkipExportDenials } from './audit-skip-export-denials.js';
import { fault as auditTokenLeak } from './audit-token-leak.js';
import { fault as auditTokenTail } from './audit-token-tail.js';
import { fault as auditSkipReject } from './audit-skip-reject.js';
import { fault as auditSkipReplay } from './audit-skip-replay.js';
import { fault as auditSkipActionsScopeDenials } from './audit-skip-actions-scope-denials.js';
import { fault as auditLateGateRefusalsAsSuccess } from './audit-late-gate-refusals-as-success.js';
import { fault as auditSkipHighRiskReject } from './audit-skip-high-risk-reject.js';
import { fault as auditSkipHighRiskReplay } from './audit-skip-high-risk-replay.js';
import { fault as auditExecuteShowsPayload } from './audit-execute-shows-payload.js';
import { fault as auditMaxDaysDenialUnaudited } from './audit-max-days-denial-unaudited.js';
import { fault as auditAdminChangeRecordedFailed } from './audit-admin-change-recorded-failed.js';
import { fault as auditFailedExecutionNoCode } from './audit-failed-execution-no-code.js';
import { fault as auditDeniedNoKey } from './audit-denied-no-key.js';
import { fault as auditDeniedNoActor } from './audit-denied-no-actor.js';
import { fault as auditDeniedNoClient } from './audit-denied-no-client.js';
import { fault as idemReplayLaterToolsRunsAgain } from './idem-replay-later-tools-runs-again.js';
import { fault as idemKeyScopedPerTool } from './idem-key-scoped-per-tool.js';
import { fault as idemIgnoredWhenNotRequired } from './idem-ignored-when-not-required.js';
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
import { fault as auditRequestIdNumber } from './audit-request-id-number.js';
import { fault as auditDetailsText } from './audit-details-text.js';
import { fault as auditNoCreatedAt } from './audit-no-created-at.js';
import { fault as auditSkipPreflight } from './audit-skip-preflight.js';
import { fault as auditSkipDraftCreated } from './audit-skip-draft-created.js';
import { fault as auditSkipAutoExecuteRequested } from './audit-skip-auto-execute-requested.js';
import { fault as auditSkipApprove } from './audit-skip-approve.js';
import { fault as auditSkipExecute } from './audit-skip-execute.js';
import { fault as auditNoReasonCode } from './audit-no-reason-code.js';
import { fault as auditPayloadUnredacted } from './audit-payload-unredacted.js';
import { fault as writeExecuteImmediately } from './write-execute-immediately.js';
import { fault as writeAdminDraftMissingNotFound } from './write-admin-draft-missing-not-found.js';
import { fault as writeDraftPollOwnKeyOnly } from './write-draft-poll-own-key-only.js';
import { fault as writeDoubleExecute } from './write-double-execute.js';
import { fault as writeRejectExecutes } from './write-reject-executes.js';
import { fault as writeReapprove } from './write-reapprove.js';
import { fault as writeFinalLaterToolsReviewable } from './write-final-later-tools-reviewable.js';
import { fault as writeRejectLaterToolsExecutes } from './write-reject-later-tools-executes.js';
import { fault as writeDraftCrossAppLaterTools } from './write-draft-cross-app-later-tools.js';
import { fault as writeDraftCrossApp } from './write-draft-cross-app.js';
import { fault as writeFinalDraftCrossApp } from './write-final-draft-cross-app.js';
import { fault as writeReviewFailed } from './write-review-failed.js';
import { fault as writeDraftNoPayload } from './write-draft-no-payload.js';
import { fault as writeDraftNoJustification } from './write-draft-no-justification.js';
import { fault as writeDraftNoPreflightHash } from './write-draft-no-preflight-hash.js';
import { fault as writeCanceledAsRejected } from './write-canceled-as-rejected.js';
import { fault as writeAutoExecutedStaysDraft } from './write-auto-executed-stays-draft.js';
import { fault as writeExecutionNoStatus } from './write-execution-no-status.js';
import { fault as writePollNoDraft } from './write-poll-no-draft.js';
import { fault as writePollNoNullExecution } from './write-poll-no-null-execution.js';
import { fault as writePollHidesExecution } from './write-poll-hides-execution.js';
import { fault as writeFailedConfirmed } from './write-failed-confirmed.js';
import { fault as writeFailedNoError } from './write-failed-no-error.js';
import { fault as writeRejectConfirmed } from './write-reject-confirmed.js';
import { fault as writeRejectAutoExecuted } from './write-reject-auto-executed.js';
import { fault as auditKeyChangeNoKeyId } from './audit-key-change-no-key-id.js';
import { fault as authnKeyExpiryUnreadableIgnored } from './authn-key-expiry-unreadable-ignored.js';
import { fault as writeDraftsListAppIgnored } from './write-drafts-list-app-ignored.js';
import { fault as writeDraftsListStatusIgnored } from './write-drafts-list-status-ignored.js';
import { fault as writeApproveCanceled } from './write-approve-canceled.js';
import { fault as writeRejectCanceled } from './write-reject-canceled.js';
import { fault as writeApproveRunsNothing } from './write-approve-runs-nothing.js';
import { fault as writeApproveSkipsUnwitnessedHighRisk } from './write-approve-skips-unwitnessed-high-risk.js';
import { fault as writeDraftMissingNotFound } from './write-draft-missing-not-found.js';
import { fault as writeNoPayloadNotValidation } from './write-no-payload-not-validation.js';
import { fault as writeDraftDropsIdempotencyKey } from './write-draft-drops-idempotency-key.js';
import { fault as autoexecIgnoreExpiry } from './autoexec-ignore-expiry.js';
import { fault as autoexecIgnoreAllowed } from './autoexec-ignore-allowed.js';
import { fault as autoexecIgnoreForceDraft } from './autoexec-ignore-force-draft.js';
import { fault as autoexecForceDraftIgnoredWithPreflightId } from './autoexec-force-draft-ignored-with-preflight-id.js';
import { fault as autoexecWritesCoverHighRisk } from './autoexec-writes-cover-high-risk.js';
import { fault as autoexecHighRiskIgnoreExpiry } from './autoexec-high-risk-ignore-expiry.js';
import { fault as autoexecHighRiskIgnoreAllowed } from './autoexec-high-risk-ignore-allowed.js';
import { fault as autoexecHighRiskAllowedSampledOnly } from './autoexec-high-risk-allowed-sampled-only.js';
import { fault as autoexecLaterToolsOpenUnconfigured } from './autoexec-later-tools-open-unconfigured.js';
import { fault as autoexecAllowedActionsLaterTools } from './autoexec-allowed-actions-later-tools.js';
import { fault as autoexecEnabledIgnoredLaterTools } from './autoexec-enabled-ignored-later-tools.js';
import { fault as autoexecNoReviewPath } from './autoexec-no-review-path.js';
import { fault as autoexecRefusalNoStatus } from './autoexec-refusal-no-status.js';
import { fault as autoexecGateOrderWrites } from './autoexec-gate-order-writes.js';
import { fault as autoexecGateOrderHighRisk } from './autoexec-gate-order-high-risk.js';
import { fault as autoexecGateOrderMismatchFirst } from './autoexec-gate-order-mismatch-first.js';
import { fault as autoexecNoJustificationGate } from './autoexec-no-justification-gate.js';
import { fault as autoexecWritesIgnoreEnabled } from './autoexec-writes-ignore-enabled.js';
import { fault as autoexecHighRiskIgnoreEnabled } from './autoexec-high-risk-ignore-enabled.js';
import { fault as autoexecUnconfiguredOpen } from './autoexec-unconfigured-open.js';
import { fault as autoexecExecuteImplied } from './autoexec-execute-implied.js';
import { fault as autoexecNeverExecutes } from './autoexec-never-executes.js';
import { fault as autoexecRequirePreflightDefaultOff } from './autoexec-require-preflight-default-off.js';
import { fault as autoexecRequirePreflightOffWithIdempotency } from './autoexec-require-preflight-off-with-idempotency.js';
import { fault as autoexecRequireIdempotencyDefaultOff } from './autoexec-require-idempotency-default-off.js';
import { fault as autoexecRefusalNoDraft } from './autoexec-refusal-no-draft.js';
import { fault as autoexecRefusalNoDeniedCode } from './autoexec-refusal-no-denied-code.js';
import { fault as autoexecRefusalDraftUnsaved } from './autoexec-refusal-draft-unsaved.js';
import { fault as autoexecExecutedNoStatus } from './autoexec-executed-no-status.js';
import { fault as autoexecExecutedNoDraft } from './autoexec-executed-no-draft.js';
import { fault as autoexecExecutedNoExecution } from './autoexec-executed-no-execution.js';
import { fault as autoexecRefusalNot200 } from './autoexec-refusal-not-200.js';
import { fault as preflightHashNotJcs } from './preflight-hash-not-jcs.js';
import { fault as preflightNotRequired } from './preflight-not-required.js';
import { fault as preflightSkipCompare } from './preflight-skip-compare.js';
import { fault as preflightIdUnbound } from './preflight-id-unbound.js';
import { fault as preflightKeyUnboundLaterTools } from './preflight-key-unbound-later-tools.js';
import { fault as preflightHashUncheckedLaterTools } from './preflight-hash-unchecked-later-tools.js';
import { fault as preflightBindingAfterDraft } from './preflight-binding-after-draft.js';
import { fault as preflightReplyNoAction } from './preflight-reply-no-action.js';
import { fault as preflightReplyNoRisk } from './preflight-reply-no-risk.js';
import { fault as preflightReplyNoConfirmation } from './preflight-reply-no-confirmation.js';
import { fault as preflightReplyNoImpact } from './preflight-reply-no-impact.js';
import { fault as preflightReplyNoImpactHash } from './preflight-reply-no-impact-hash.js';
import { fault as preflightReplyNoId } from './preflight-reply-no-id.js';
import { fault as preflightIdOtherActionNotFound } from './preflight-id-other-action-not-found.js';
import { fault as preflightHashNoAction } from './preflight-hash-no-action.js';
import { fault as preflightHashNoPayload } from './preflight-hash-no-payload.js';
import { fault as preflightHashNoImpact } from './preflight-hash-no-impact.js';
import { fault as preflightHashBase64 } from './preflight-hash-base64.js';
import { fault as preflightHashServerSalt } from './preflight-hash-server-salt.js';
import { fault as preflightIdUnknownNotFound } from './preflight-id-unknown-not-found.js';
import { fault as preflightIdPayloadLost } from './preflight-id-payload-lost.js';
import { fault as preflightPayloadElsewhere } from './preflight-payload-elsewhere.js';
import { fault as preflightExecuteReusesHash } from './preflight-execute-reuses-hash.js';
import { fault as preflightHashPrefixAccepted } from './preflight-hash-prefix-accepted.js';
import { fault as preflightIdImpactNotRecomputed } from './preflight-id-impact-not-recomputed.js';
import { fault as preflightIdUnboundExecute } from './preflight-id-unbound-execute.js';
import { fault as preflightNeverExpires } from './preflight-never-expires.js';
import { fault as idemNoReplay } from './idem-no-replay.js';
import { fault as idemRace } from './idem-race.js';
import { fault as idemRaceHighRisk } from './idem-race-high-risk.js';
import { fault as idemMismatchRuns } from './idem-mismatch-runs.js';
import { fault as idemMismatchRunsHighRisk } from './idem-mismatch-runs-high-risk.js';
import { fault as idemReplayNoStatus } from './idem-replay-no-status.js';
import { fault as idemReplayNoReplayed } from './idem-replay-no-replayed.js';
import { fault as idemReplayNoCode } from './idem-replay-no-code.js';
import { fault as idemReplayNoExecution } from './idem-replay-no-execution.js';
import { fault as idemKeyNotRequired } from './idem-key-not-required.js';
import { fault as idemRetriesFailed } from './idem-retries-failed.js';
import { fault as idemMismatchReplays } from './idem-mismatch-replays.js';
import { fault as idemScopedPerKey } from './idem-scoped-per-key.js';
import { fault as idemHighRiskScopedPerKey } from './idem-high-risk-scoped-per-key.js';
import { fault as idemHighRiskScopedPerTenant } from './idem-high-risk-scoped-per-tenant.js';
import { fault as idemScopedGlobally } from './idem-scoped-globally.js';
import { fault as idemSkippedWithPreflightId } from './idem-skipped-with-preflight-id.js';
import { fault as idemKeyOtherMember } from './idem-key-other-member.js';
import { fault as witnessHashWrong } from './witness-hash-wrong.js';
import { fault as witnessSkipOnCreate } from './witness-skip-on-create.js';
import { fault as witnessSkipOnCreateHardDelete } from './witness-skip-on-create-hard-delete.js';
import { fault as witnessSkipOnApprove } from './witness-skip-on-approve.js';
import { fault as witnessSkipOnApproveRefusedAutoExecute } from './witness-skip-on-approve-refused-auto-execute.js';
import { fault as witnessSkipOnApproveLaterTools } from './witness-skip-on-approve-later-tools.js';
import { fault as witnessSkipOnAutoExecute } from './witness-skip-on-auto-execute.js';
import { fault as witnessConfirmsOnRefusal } from './witness-confirms-on-refusal.js';
import { fault as witnessNoReason } from './witness-no-reason.js';
import { fault as witnessHashBase64 } from './witness-hash-base64.js';
import { fault as witnessPreflightNoWitness } from './witness-preflight-no-witness.js';
import { fault as witnessCached } from './witness-cached.js';
import { fault as witnessRequestNotBound } from './witness-request-not-bound.js';
import { fault as witnessGoneRowUnchanged } from './witness-gone-row-unchanged.js';
import { fault as witnessRequestIgnoredWithPreflightId } from './witness-request-ignored-with-preflight-id.js';
import { fault as witnessNotBoundAtCreation } from './witness-not-bound-at-creation.js';
import { fault as witnessUnboundWithForceDraft } from './witness-unbound-with-force-draft.js';
import { fault as witnessUnboundWithIdempotencyKey } from './witness-unbound-with-idempotency-key.js';
import { fault as witnessAutoExecuteUnaudited } from './witness-auto-execute-unaudited.js';
import { fault as witnessNoRecovery } from './witness-no-recovery.js';
import { fault as fuzzCrashDeepNesting } from './fuzz-crash-deep-nesting.js';
import { fault as fuzzCrashObjectId } from './fuzz-crash-object-id.js';
import { fault as fuzzCrashNonObjectBody } from './fuzz-crash-non-object-body.js';
import { fault as fuzzEchoToken } from './fuzz-echo-token.js';
import { fault as gateWriteUnrated } from './gate-write-unrated.js';
import { fault as gateWriteUnconfirmed } from './gate-write-unconfirmed.js';
import { fault as gateHighRiskNoPreflight } from './gate-high-risk-no-preflight.js';
import { fault as gateHighRiskNoIdempotency } from './gate-high-risk-no-idempotency.js';
import { fault as gateWindowUnbounded } from './gate-window-unbounded.js';
import { fault as gateTreeToken } from './gate-tree-token.js';
import { fault as gateTreePrivateMarker } from './gate-tree-private-marker.js';
import { fault as fuzzRepeatedQueryCrash } from './fuzz-repeated-query-crash.js';
import { fault as fuzzAdminQueryCrash } from './fuzz-admin-query-crash.js';
import { fault as fuzzAuthHeaderCrash } from './fuzz-auth-header-crash.js';
import { fault as fuzz4xxWithoutMessage } from './fuzz-4xx-without-message.js';
import { fault as fuzzObeysInjectedText } from './fuzz-obeys-injected-text.js';
import { fault as mcpNoAnnotations } from './mcp-no-annotations.js';
import { fault as mcpReadonlyHighRisk } from './mcp-readonly-high-risk.js';
import { fault as mcpDestructiveByName } from './mcp-destructive-by-name.js';
import { fault as mcpSessionAnyToken } from './mcp-session-any-token.js';
import { fault as mcpTokenInQuery } from './mcp-token-in-query.js';
import { fault as mcpNoBearerChallenge } from './mcp-no-bearer-challenge.js';
import { fault as mcpUnknownToolInternal } from './mcp-unknown-tool-internal.js';
import { fault as mcpRefusalsAsErrors } from './mcp-refusals-as-errors.js';
import { fault as mcpRefusalsAsErrorsButValidation } from './mcp-refusals-as-errors-but-validation.js';
import { fault as mcpRefusalTextWithoutIssues } from './mcp-refusal-text-without-issues.js';
import { fault as mcpNoHostCheck } from './mcp-no-host-check.js';
import { fault as mcpNoOriginCheck } from './mcp-no-origin-check.js';
import { fault as mcpActionOverride } from './mcp-action-override.js';
import { fault as mcpHiddenToolUnknown } from './mcp-hidden-tool-unknown.js';
import { fault as mcpSessionEvictsOthers } from './mcp-session-evicts-others.js';
import { fault as mcpMessagesUncounted } from './mcp-messages-uncounted.js';
import { fault as mcp413Envelope } from './mcp-413-envelope.js';
import { fault as mcpInvalidParamsInternal } from './mcp-invalid-params-internal.js';
import { fault as mcpMessagePrefixed } from './mcp-message-prefixed.js';
import { fault as mcpParseErrorInternal } from './mcp-parse-error-internal.js';
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
  envRouteMissingManifest,
  envRouteMissingPreflight,
  envRouteMissingActions,
  envRouteMissingDrafts,
  envRouteMissingListRead,
  envRouteMissingPagedRead,
  envPageSizeUnbounded,
  envPageHasMoreFalse,
  envAdminMissingAppsList,
  envAdminMissingAppsCreate,
  envAdminMissingKeysCreate,
  envAdminMissingAppsRevoke,
  envAdminMissingKeysRevoke,
  envAdminMissingPolicy,
  envAdminMissingAutoExecute,
  envAdminMissingTools,
  envAdminMissingDraftsList,
  envAdminMissingDraftsGet,
  envAdminMissingApprove,
  envAdminMissingReject,
  envAdminMissingAudit,
  envHealthzMissing,
  envSuccessOkMissing,
  envSuccessCodeOther,
  envSuccessDataRenamed,
  envFailureOkMissing,
  envFailureCodeMissing,
  envFailureMessageMissing,
  envSuccessTextPlain,
  envValidationIssueNoCode,
  envValidationIssueNoPath,
  envValidationIssueNoMessage,
  envValidationOtherCode,
  envValidationNoIssues,
  envQueryValidationNoIssues,
  envParseErrorNoIssues,
  envSqlLeak,
  envSecretLeak,
  envStatusTokenInvalid,
  envStatusTokenExpired,
  envStatusForbidden,
  envStatusRateLimited,
  envStatusActionUnknown,
  envStatusActionInvalid,
  envStatusNotFound,
  envStatusDraftNotFound,
  envStatusDraftAlreadyFinal,
  envStatusPreflightNotFound,
  envStatusPreconditionFailed,
  envStatusIdempotencyMismatch,
  envCarrierPreflightMismatch,
  envCarrierPreflightRequired,
  envCarrierIdempotencyRequired,
  envCarrierAutoExecuteDisabled,
  envCarrierAutoExecuteDenied,
  envCarrierAutoExecuteExpired,
  envExecutionFailureUnsanitised,
  authnRevocationCache,
  authnIgnoreExpiry,
  authnAppRevokeKeepsKeys,
  authnRevokedAppNewKeysWork,
  authnTokenInQuery,
  authnExpiryGrace,
  authnExpiryGraceShort,
  authnExpirySkippedWithPreflightId,
  authnExpirySkippedWithPage,
  authnNetworkBeforeExpiry,
  authnUnknownTokenAccepted,
  authnRevokedKeyAccepted,
  authnRevokedOddScheme,
  authnAnyScheme,
  authnMissingTokenForbidden,
  authnWorkspaceActsAsCreator,
  authnPersonalActsAsCreator,
  authnBodyBeforeToken,
  authnExpiryBeforeRevocation,
  authnNoActorServed,
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
  discManifestPersonalAsWorkspace,
  discManifestNoAppOrgId,
  discManifestNoTools,
  discManifestOtherApp,
  envRedirectOffHost,
  authzReadNoScope,
  authzReadScopeSkippedWithPage,
  authzPartialScopes,
  authzUnknownActionInvalid,
  authzPreflightNoScope,
  authzActionsNoScope,
  authzWriteScopeSkippedOnExecute,
  tenantCrossRead,
  tenantSkippedOnExecute,
  tenantSkippedForAllowListedContainer,
  tenantSkippedWithForceDraft,
  tenantTrustHeaderOnWrites,
  tenantTrustBodyOrg,
  tenantTrustClientOrg,
  tenantPreflightLeak,
  tenantMissingContainerEmpty,
  tenantTrustPayloadOrg,
  tenantCrossDraft,
  tenantCrossUnsampledWrites,
  tenantBoundaryForbidden,
  abacIpIgnored,
  abacIpSkippedOnExistingDraft,
  abacIpSkippedWithPreflightId,
  abacIpShortPrefixAny,
  abacContainersSkippedOnExecute,
  abacContainersSkippedWithDates,
  abacCidrBroken,
  abacLedgerIgnored,
  abacMaxDaysIgnored,
  abacMaxDaysOffByOne,
  abacMaxDaysReadsOnly,
  abacMaxDaysSkippedWithPage,
  abacMaxDaysPreflightOnly,
  auditSkipHighRiskPreflights,
  auditSkipManifestDenials,
  auditReviewByAgent,
  auditSkipHighRiskAutoExecuteRequests,
  auditSkipHighRiskAutoExecuteDenials,
  auditSkipWritePolicyDenials,
  abacNoRedaction,
  abacRedactionFirstPageOnly,
  abacRedactionSkippedWithDates,
  abacTrustForwardedFor,
  abacIpExactIgnored,
  abacOrgsIgnored,
  abacInvertedWindowAccepted,
  abacContainersIgnoredOnWrites,
  abacContainersIgnoredOnExport,
  abacOrgsIgnoredOnWrites,
  admNoLimit,
  admSideEffects,
  admNoRetryAfter,
  admLimitPerIp,
  admRefusalCodeDrifts,
  admRefusalBare,
  admRefusalsAudited,
  admRefusedPollsAudited,
  admRefusalsAuditedAsSuccess,
  admLimitBeforeRevocation,
  admLimitPerRoute,
  admLimitPerKeyOnly,
  admLimitSkippedWithRequestId,
  fuzzTooDeep200,
  preflightDeleteImpactIdOnly,
  autoexecMaxExportRowsIgnored,
  autoexecExpiryGrace,
  autoexecExpiryGraceShort,
  autoexecExpiryOffsetIgnored,
  auditSkipReads,
  auditSkipDenials,
  auditSkipExportDenials,
  auditTokenLeak,
  auditTokenTail,
  auditSkipReject,
  auditSkipReplay,
  auditSkipActionsScopeDenials,
  auditLateGateRefusalsAsSuccess,
  auditSkipHighRiskReject,
  auditSkipHighRiskReplay,
  auditExecuteShowsPayload,
  auditMaxDaysDenialUnaudited,
  auditAdminChangeRecordedFailed,
  auditFailedExecutionNoCode,
  auditDeniedNoKey,
  auditDeniedNoActor,
  auditDeniedNoClient,
  idemReplayLaterToolsRunsAgain,
  idemKeyScopedPerTool,
  idemIgnoredWhenNotRequired,
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
  auditRequestIdNumber,
  auditDetailsText,
  auditNoCreatedAt,
  auditSkipPreflight,
  auditSkipDraftCreated,
  auditSkipAutoExecuteRequested,
  auditSkipApprove,
  auditSkipExecute,
  auditNoReasonCode,
  auditPayloadUnredacted,
  writeExecuteImmediately,
  writeAdminDraftMissingNotFound,
  writeDraftPollOwnKeyOnly,
  writeDoubleExecute,
  writeRejectExecutes,
  writeReapprove,
  writeFinalLaterToolsReviewable,
  writeRejectLaterToolsExecutes,
  writeDraftCrossAppLaterTools,
  writeDraftCrossApp,
  writeFinalDraftCrossApp,
  writeReviewFailed,
  writeDraftNoPayload,
  writeDraftNoJustification,
  writeDraftNoPreflightHash,
  writeCanceledAsRejected,
  writeAutoExecutedStaysDraft,
  writeExecutionNoStatus,
  writePollNoDraft,
  writePollNoNullExecution,
  writePollHidesExecution,
  writeFailedConfirmed,
  writeFailedNoError,
  writeRejectConfirmed,
  writeRejectAutoExecuted,
  auditKeyChangeNoKeyId,
  authnKeyExpiryUnreadableIgnored,
  writeDraftsListAppIgnored,
  writeDraftsListStatusIgnored,
  writeApproveCanceled,
  writeRejectCanceled,
  writeApproveRunsNothing,
  writeApproveSkipsUnwitnessedHighRisk,
  writeDraftMissingNotFound,
  writeNoPayloadNotValidation,
  writeDraftDropsIdempotencyKey,
  autoexecIgnoreExpiry,
  autoexecIgnoreAllowed,
  autoexecIgnoreForceDraft,
  autoexecForceDraftIgnoredWithPreflightId,
  autoexecWritesCoverHighRisk,
  autoexecHighRiskIgnoreExpiry,
  autoexecHighRiskIgnoreAllowed,
  autoexecHighRiskAllowedSampledOnly,
  autoexecLaterToolsOpenUnconfigured,
  autoexecAllowedActionsLaterTools,
  autoexecEnabledIgnoredLaterTools,
  autoexecNoReviewPath,
  autoexecRefusalNoStatus,
  autoexecGateOrderWrites,
  autoexecGateOrderHighRisk,
  autoexecGateOrderMismatchFirst,
  autoexecNoJustificationGate,
  autoexecWritesIgnoreEnabled,
  autoexecHighRiskIgnoreEnabled,
  autoexecUnconfiguredOpen,
  autoexecExecuteImplied,
  autoexecNeverExecutes,
  autoexecRequirePreflightDefaultOff,
  autoexecRequirePreflightOffWithIdempotency,
  autoexecRequireIdempotencyDefaultOff,
  autoexecRefusalNoDraft,
  autoexecRefusalNoDeniedCode,
  autoexecRefusalDraftUnsaved,
  autoexecExecutedNoStatus,
  autoexecExecutedNoDraft,
  autoexecExecutedNoExecution,
  autoexecRefusalNot200,
  preflightHashNotJcs,
  preflightNotRequired,
  preflightSkipCompare,
  preflightIdUnbound,
  preflightIdUnboundExecute,
  preflightKeyUnboundLaterTools,
  preflightHashUncheckedLaterTools,
  preflightBindingAfterDraft,
  preflightReplyNoAction,
  preflightReplyNoRisk,
  preflightReplyNoConfirmation,
  preflightReplyNoImpact,
  preflightReplyNoImpactHash,
  preflightReplyNoId,
  preflightIdOtherActionNotFound,
  preflightHashNoAction,
  preflightHashNoPayload,
  preflightHashNoImpact,
  preflightHashBase64,
  preflightHashServerSalt,
  preflightHashPrefixAccepted,
  preflightIdUnknownNotFound,
  preflightIdPayloadLost,
  preflightPayloadElsewhere,
  preflightExecuteReusesHash,
  preflightIdImpactNotRecomputed,
  preflightNeverExpires,
  idemNoReplay,
  idemRace,
  idemRaceHighRisk,
  idemMismatchRuns,
  idemMismatchRunsHighRisk,
  idemReplayNoStatus,
  idemReplayNoReplayed,
  idemReplayNoCode,
  idemReplayNoExecution,
  idemKeyNotRequired,
  idemRetriesFailed,
  idemMismatchReplays,
  idemScopedPerKey,
  idemHighRiskScopedPerKey,
  idemHighRiskScopedPerTenant,
  idemScopedGlobally,
  idemSkippedWithPreflightId,
  idemKeyOtherMember,
  witnessHashWrong,
  witnessSkipOnCreate,
  witnessSkipOnCreateHardDelete,
  witnessSkipOnApprove,
  witnessSkipOnApproveRefusedAutoExecute,
  witnessSkipOnApproveLaterTools,
  witnessGoneRowUnchanged,
  witnessSkipOnAutoExecute,
  witnessConfirmsOnRefusal,
  witnessNoReason,
  witnessHashBase64,
  witnessPreflightNoWitness,
  witnessCached,
  witnessRequestNotBound,
  witnessRequestIgnoredWithPreflightId,
  witnessNotBoundAtCreation,
  witnessUnboundWithForceDraft,
  witnessUnboundWithIdempotencyKey,
  witnessAutoExecuteUnaudited,
  witnessNoRecovery,
  fuzzCrashDeepNesting,
  fuzzCrashObjectId,
  fuzzCrashNonObjectBody,
  fuzzEchoToken,
  gateWriteUnrated,
  gateWriteUnconfirmed,
  gateHighRiskNoPreflight,
  gateHighRiskNoIdempotency,
  gateWindowUnbounded,
  gateTreeToken,
  gateTreePrivateMarker,
  fuzzRepeatedQueryCrash,
  fuzzAdminQueryCrash,
  fuzzAuthHeaderCrash,
  fuzz4xxWithoutMessage,
  fuzzObeysInjectedText,
  mcpNoAnnotations,
  mcpReadonlyHighRisk,
  mcpDestructiveByName,
  mcpSessionAnyToken,
  mcpTokenInQuery,
  mcpNoBearerChallenge,
  mcpUnknownToolInternal,
  mcpRefusalsAsErrors,
  mcpRefusalsAsErrorsButValidation,
  mcpRefusalTextWithoutIssues,
  mcpNoHostCheck,
  mcpNoOriginCheck,
  mcpActionOverride,
  mcpHiddenToolUnknown,
  mcpSessionEvictsOthers,
  mcpMessagesUncounted,
  mcp413Envelope,
  mcpInvalidParamsInternal,
  mcpMessagePrefixed,
  mcpParseErrorInternal,
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
