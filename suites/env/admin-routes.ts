/**
 * The admin plane's routes as request specs aimed at ids that do not exist, so a server that authenticates
 * nothing, or parses bodies leniently, never approves, revokes or changes anything real. Creating an app
 * (POST /apps) is the one route without an id; callers send it only bodies no server can act on.
 */
import type { Exchange, RequestSpec } from '../../src/kit/check.js';
import { describe, expectError, fail } from '../../src/kit/expect.js';
import { validateAgainst } from '../../src/protocol/schemas.js';
import { ADMIN_BASE } from '../../src/protocol/types.js';

const APP = `${ADMIN_BASE}/apps/app_conform_missing`;
const DRAFT = `${ADMIN_BASE}/drafts/drf_conform_missing`;

/** Reads of the admin plane. */
export const ADMIN_READS: readonly RequestSpec[] = [
  { method: 'GET', path: `${ADMIN_BASE}/apps` },
  { method: 'GET', path: `${APP}/tools` },
  { method: 'GET', path: `${ADMIN_BASE}/drafts` },
  { method: 'GET', path: DRAFT },
  { method: 'GET', path: `${ADMIN_BASE}/audit` },
];

/** Every admin route with a body that acts on an object, aimed at a missing object. */
export const ADMIN_OBJECT_WRITES: readonly { method: string; path: string }[] = [
  { method: 'POST', path: `${APP}/keys` },
  { method: 'POST', path: `${APP}/revoke` },
  { method: 'POST', path: `${ADMIN_BASE}/keys/key_conform_missing/revoke` },
  { method: 'PATCH', path: `${APP}/policy` },
  { method: 'PATCH', path: `${APP}/auto-execute` },
  { method: 'POST', path: `${DRAFT}/approve` },
  { method: 'POST', path: `${DRAFT}/reject` },
];

export const ADMIN_CREATE_APP = { method: 'POST', path: `${ADMIN_BASE}/apps` } as const;

/** ENV-007/008: an OpenPort envelope below 500, whatever the request did wrong. `mistake` names it in the finding. */
export function expectEnvelopeBelow500(ex: Exchange, what: string, mistake: string, usual: string): void {
  const j = ex.response.json;
  const status = ex.response.status;
  // A redirect is not the server's answer, whatever its body holds: no reason code travels with a 3xx, and
  // the tool never follows one (it could lead anywhere, credentials and all).
  if (status >= 300 && status < 400) {
    const location = ex.response.headers.location;
    fail(`${what}: answered with a redirect, not an envelope`, `an OpenPort envelope with a status below 500 (normally ${usual}), never a redirect`,
      `${describe(ex)}${typeof location === 'string' ? ` to ${location.slice(0, 200)}` : ''}`, ex);
  }
  const problems = j === undefined ? ['the body is not JSON'] : validateAgainst('envelope', j);
  if (status >= 500 || problems.length > 0) {
    fail(`${what}: ${status >= 500 ? `${mistake} answered as a server error` : 'not an OpenPort envelope'}`,
      `an OpenPort envelope with a status below 500 (normally ${usual})`, `${describe(ex)}${problems.length ? ` (${problems.slice(0, 2).join('; ')})` : ''}`, ex);
  }
}

/** §4: a validation failure is 400 common.validation with details.issues[] of {code, path, message}. */
export function expectValidationDetails(ex: Exchange, what: string): void {
  const { details } = expectError(ex, 'common.validation', what);
  const problems = validateAgainst('validation-details', details);
  if (problems.length) fail(`${what}: details.issues[] malformed (${problems.slice(0, 3).join('; ')})`, { status: 400, code: 'common.validation', text: 'details.issues[] of {code, path[], message}' }, `${describe(ex)} details=${JSON.stringify(details ?? null).slice(0, 200)}`, ex, '/details/issues');
}
