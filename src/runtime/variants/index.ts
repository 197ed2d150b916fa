/**
 * Legitimate variants of the reference runtime, one file each: choices the brief (or the authors' recorded
 * runtime) allows and this runtime makes differently. The conformance suite must raise no failure against
 * any of them (test/compat): a false alarm on a correct server is as bad as a missed defect.
 */
import { variant as authorsAdmin } from './authors-admin.js';
import { variant as hiddenToolUnknown } from './hidden-tool-unknown.js';
import { variant as crossTenant404 } from './cross-tenant-404.js';
import { variant as plainAuditQuery } from './plain-audit-query.js';
import { variant as witnessLeavesDraft } from './witness-leaves-draft.js';
import { variant as retryAfterOnly } from './retry-after-only.js';
import { variant as auditVisibleLate } from './audit-visible-late.js';
import { variant as noIdempotencyMismatchCode } from './no-idempotency-mismatch-code.js';
import { variant as nullPreflightHashOnCreate } from './null-preflight-hash-on-create.js';
import { variant as no401Audit } from './no-401-audit.js';
import { variant as redactionMarker } from './redaction-marker.js';
import { variant as pastExpiryRefused } from './past-expiry-refused.js';
import { variant as personalAppsRefused } from './personal-apps-refused.js';
import { variant as serviceUsersChecked } from './service-users-checked.js';
import { variant as expiryUtcOnly } from './expiry-utc-only.js';
import { variant as created201 } from './created-201.js';
import { variant as agentCreated201 } from './agent-created-201.js';
import { variant as method404 } from './method-404.js';
import { variant as idempotencyMismatch422 } from './idempotency-mismatch-422.js';
import { variant as plainContentType } from './plain-content-type.js';
import { variant as windowExpiryRequired } from './window-expiry-required.js';
import { variant as staleWitnessAutoDraft } from './stale-witness-auto-draft.js';
import { variant as preflightIdSingleUse } from './preflight-id-single-use.js';
import { variant as smallDefaultPage } from './small-default-page.js';
import { variant as rejectReturnsDraft } from './reject-returns-draft.js';
import { variant as absentAllowedActionsNone } from './absent-allowed-actions-none.js';
import { variant as revokedAppIssuesKeys } from './revoked-app-issues-keys.js';
import { variant as preflightIdNeedsHash } from './preflight-id-needs-hash.js';
import { variant as notesOnlyRedaction } from './notes-only-redaction.js';
import { variant as refuseUnknownFields } from './refuse-unknown-fields.js';
import { variant as highRiskCreateScope } from './high-risk-create-scope.js';
import { variant as sharedReadWriteScope } from './shared-read-write-scope.js';
import { variant as twoScopesEach } from './two-scopes-each.js';
import { variant as epochTimestamps } from './epoch-timestamps.js';
import { variant as secondTimestamps } from './second-timestamps.js';
import { variant as auditOldestFirstPages } from './audit-oldest-first-pages.js';
import { variant as auditKeysetSeconds } from './audit-keyset-seconds.js';
import { variant as sequentialIds } from './sequential-ids.js';
import { selectByName, type Selection } from '../name-set.js';

export type { VariantDef } from './variant.js';

export const VARIANTS = [
  authorsAdmin,
  hiddenToolUnknown,
  crossTenant404,
  plainAuditQuery,
  witnessLeavesDraft,
  retryAfterOnly,
  auditVisibleLate,
  noIdempotencyMismatchCode,
  nullPreflightHashOnCreate,
  no401Audit,
  redactionMarker,
  pastExpiryRefused,
  personalAppsRefused,
  serviceUsersChecked,
  expiryUtcOnly,
  created201,
  agentCreated201,
  method404,
  idempotencyMismatch422,
  plainContentType,
  windowExpiryRequired,
  staleWitnessAutoDraft,
  preflightIdSingleUse,
  smallDefaultPage,
  rejectReturnsDraft,
  absentAllowedActionsNone,
  revokedAppIssuesKeys,
  preflightIdNeedsHash,
  notesOnlyRedaction,
  refuseUnknownFields,
  highRiskCreateScope,
  sharedReadWriteScope,
  twoScopesEach,
  epochTimestamps,
  secondTimestamps,
  auditOldestFirstPages,
  auditKeysetSeconds,
  sequentialIds,
] as const;

export type VariantName = (typeof VARIANTS)[number]['name'];

/** The variants one runtime runs with: their hook overrides, composed by createRuntime. Unknown names throw. */
export function selectVariants(names: readonly string[]): Selection {
  return selectByName('variant', VARIANTS, names);
}
