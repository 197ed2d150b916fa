/**
 * The one explicit list of checks. Everything else (profiles validation, CLI choices, explain, docs, the
 * mutation matrix) is derived from it. Order here is presentation order only; ids never depend on it.
 */
import type { CheckDef } from '../src/kit/check.js';
import { envChecks } from './env/index.js';
import { authnChecks } from './authn/index.js';
import { discChecks } from './disc/index.js';
import { authzChecks } from './authz/index.js';
import { tenantChecks } from './tenant/index.js';
import { abacChecks } from './abac/index.js';
import { admChecks } from './adm/index.js';
import { auditChecks } from './audit/index.js';
import { writeChecks } from './write/index.js';
import { autoexecChecks } from './autoexec/index.js';
import { preflightChecks } from './preflight/index.js';
import { idemChecks } from './idem/index.js';
import { witnessChecks } from './witness/index.js';
import { fuzzChecks } from './fuzz/index.js';
import { mcpChecks } from './mcp/index.js';

export const CHECKS: readonly CheckDef[] = [
  ...envChecks,
  ...authnChecks,
  ...discChecks,
  ...authzChecks,
  ...tenantChecks,
  ...abacChecks,
  ...admChecks,
  ...auditChecks,
  ...writeChecks,
  ...autoexecChecks,
  ...preflightChecks,
  ...idemChecks,
  ...witnessChecks,
  ...fuzzChecks,
  ...mcpChecks,
];
