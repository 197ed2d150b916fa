/**
 * The injectable defects of the reference runtime, one file each. A fault names the requirement it breaks;
 * the conformance suite must catch every one of them by that id (the suite proven both ways). This list is
 * the one registry: a new fault is a new file here plus its entry below.
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
import { fault as discShowAllTools } from './disc-show-all-tools.js';
import { fault as discWriteNoConfirmation } from './disc-write-no-confirmation.js';
import { fault as authzReadNoScope } from './authz-read-no-scope.js';
import { fault as authzPartialScopes } from './authz-partial-scopes.js';
import { fault as tenantCrossRead } from './tenant-cross-read.js';
import { fault as tenantTrustClientOrg } from './tenant-trust-client-org.js';
import { fault as tenantPreflightLeak } from './tenant-preflight-leak.js';
import { fault as abacIpIgnored } from './abac-ip-ignored.js';
import { fault as abacCidrBroken } from './abac-cidr-broken.js';
import { fault as abacLedgerIgnored } from './abac-ledger-ignored.js';
import { fault as abacMaxDaysIgnored } from './abac-max-days-ignored.js';
import { fault as abacNoRedaction } from './abac-no-redaction.js';
import { fault as abacTrustForwardedFor } from './abac-trust-forwarded-for.js';
import { fault as admNoLimit } from './adm-no-limit.js';
import { fault as admSideEffects } from './adm-side-effects.js';
import { fault as admNoRetryAfter } from './adm-no-retry-after.js';
import { fault as auditSkipReads } from './audit-skip-reads.js';
import { fault as auditSkipDenials } from './audit-skip-denials.js';
import { fault as auditTokenLeak } from './audit-token-leak.js';
import { fault as writeExecuteImmediately } from './write-execute-immediately.js';
import { fault as writeDoubleExecute } from './write-double-execute.js';
import { fault as writeRejectExecutes } from './write-reject-executes.js';
import { fault as writeReapprove } from './write-reapprove.js';
import { fault as writeDraftCrossApp } from './write-draft-cross-app.js';
import { fault as autoexecIgnoreExpiry } from './autoexec-ignore-expiry.js';
import { fault as autoexecIgnoreAllowed } from './autoexec-ignore-allowed.js';
import { fault as autoexecIgnoreForceDraft } from './autoexec-ignore-force-draft.js';
import { fault as autoexecWritesCoverHighRisk } from './autoexec-writes-cover-high-risk.js';
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
import type { FaultDef } from './fault.js';
import { selectByName, type Selection } from '../name-set.js';

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
  discShowAllTools,
  discWriteNoConfirmation,
  authzReadNoScope,
  authzPartialScopes,
  tenantCrossRead,
  tenantTrustClientOrg,
  tenantPreflightLeak,
  abacIpIgnored,
  abacCidrBroken,
  abacLedgerIgnored,
  abacMaxDaysIgnored,
  abacNoRedaction,
  abacTrustForwardedFor,
  admNoLimit,
  admSideEffects,
  admNoRetryAfter,
  auditSkipReads,
  auditSkipDenials,
  auditTokenLeak,
  writeExecuteImmediately,
  writeDoubleExecute,
  writeRejectExecutes,
  writeReapprove,
  writeDraftCrossApp,
  autoexecIgnoreExpiry,
  autoexecIgnoreAllowed,
  autoexecIgnoreForceDraft,
  autoexecWritesCoverHighRisk,
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
] as const;

export type FaultName = (typeof FAULTS)[number]['name'];

export function listFaults(): readonly FaultDef[] {
  return FAULTS;
}

/** The faults injected into one runtime: their hook overrides, composed by createRuntime. Unknown names throw. */
export function selectFaults(names: readonly string[]): Selection {
  return selectByName('fault', FAULTS, names);
}
