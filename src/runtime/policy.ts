/** Policy (ABAC) and auto-execute configuration: validation of admin input, IP matching, date windows. */
import { isIP, isIPv4 } from 'node:net';
import type { PolicyConfig, ValidationIssue } from '../protocol/types.js';
import { Checker, isObject, issue } from './errors.js';

export const DAY_MS = 86_400_000;

/**
 * IPv4-mapped IPv6 addresses are the IPv4 client they stand for; everything else compares as written, in
 * lower case. An address already in that form is returned as it is, not copied: every request's audit event
 * holds its client's address, so the socket's one string is shared by all of them.
 */
export function normalizeIp(ip: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (m) return m[1]!;
  return /[A-Z]/.test(ip) ? ip.toLowerCase() : ip;
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

function parseCidr(entry: string): { base: number; bits: number } | undefined {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(entry);
  if (!m || !isIPv4(m[1]!) || Number(m[2]) > 32) return undefined;
  return { base: ipv4ToInt(m[1]!), bits: Number(m[2]) };
}

export function ipMatches(clientIp: string, entries: readonly string[]): boolean {
  const ip = normalizeIp(clientIp);
  return entries.some((entry) => {
    if (!entry.includes('/')) return normalizeIp(entry) === ip;
    if (!isIPv4(ip)) return false;
    const cidr = parseCidr(entry);
    if (!cidr) return false;
    const mask = cidr.bits === 0 ? 0 : (~0 << (32 - cidr.bits)) >>> 0;
    return ((ipv4ToInt(ip) & mask) >>> 0) === ((cidr.base & mask) >>> 0);
  });
}

/**
 * Validates a PATCH /apps/{id}/policy body; the body is the whole policy. `containerField` is the domain's
 * container allow-list (allowed_ledger_ids in the demo).
 */
export function parsePolicy(body: unknown, containerField: string): { policy?: PolicyConfig; issues: ValidationIssue[] } {
  if (!isObject(body)) return { issues: [issue([], 'policy must be an object', 'invalid_type')] };
  const top = new Checker(body);
  top.only(['network', 'data']);
  const issues = [...top.issues];
  const policy: PolicyConfig = {};
  if (body.network !== undefined) {
    if (!isObject(body.network)) issues.push(issue(['network'], 'network must be an object', 'invalid_type'));
    else {
      const c = new Checker(body.network, ['network']);
      c.only(['allowed_ips']);
      const ips = c.stringArray('allowed_ips');
      ips?.forEach((e, i) => {
        if (isIP(e) === 0 && !parseCidr(e)) c.issues.push(issue(['network', 'allowed_ips', i], `${e} is not an IP address or IPv4 CIDR`, 'invalid_string'));
      });
      issues.push(...c.issues);
      policy.network = ips ? { allowed_ips: ips } : {};
    }
  }
  if (body.data !== undefined) {
    if (!isObject(body.data)) issues.push(issue(['data'], 'data must be an object', 'invalid_type'));
    else {
      const c = new Checker(body.data, ['data']);
      c.only([containerField, 'allowed_org_ids', 'max_days', 'allow_sensitive_fields']);
      const data: NonNullable<PolicyConfig['data']> = {};
      const containers = c.stringArray(containerField, { nullable: true });
      const orgs = c.stringArray('allowed_org_ids', { nullable: true });
      const maxDays = c.number('max_days', { integer: true, min: 1, nullable: true });
      const sensitive = c.boolean('allow_sensitive_fields');
      if (containers !== undefined) data[containerField] = containers;
      if (orgs !== undefined) data.allowed_org_ids = orgs;
      if (maxDays !== undefined || body.data.max_days === null) data.max_days = maxDays ?? null;
      if (sensitive !== undefined) data.allow_sensitive_fields = sensitive;
      issues.push(...c.issues);
      policy.data = data;
    }
  }
  return issues.length > 0 ? { issues } : { policy, issues };
}

/** The data policy with defaults, as the runtime applies it. */
export type DataPolicy = ReturnType<typeof effectiveData>;

export function effectiveData(policy: PolicyConfig, containerField: string) {
  const d = policy.data ?? {};
  return {
    allowedContainerIds: (d[containerField] as string[] | null | undefined) ?? null,
    allowedOrgIds: d.allowed_org_ids ?? null,
    maxDays: d.max_days ?? null,
    allowSensitiveFields: d.allow_sensitive_fields ?? true,
  };
}

/** The effective data policy as the read audit records it: camelCase keys, like the authors' runtime (allowedLedgerIds). */
export function auditedData(data: DataPolicy, containerField: string) {
  const { allowedContainerIds, ...rest } = data;
  return { [containerField.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase())]: allowedContainerIds, ...rest };
}

/** Whether an RFC 3339 time carries a numeric UTC offset ("+00:00", "-05:00") rather than "Z". */
export const hasNumericOffset = (time: string): boolean => /[+-]\d\d:\d\d$/.test(time);

/** `allowed_actions: null` is no restriction (the authors' runtime); `[]` allows nothing. */
export interface WritesWindow { enabled: boolean; expires_at: string | null; allowed_actions: string[] | null }
export interface HighRiskWindow extends WritesWindow { require_preflight: boolean; require_idempotency: boolean; max_export_rows: number }
export interface NormalizedAutoExecute { writes?: WritesWindow; high_risk?: HighRiskWindow }

/** What a window set without some field gets (the runtime's absentAllowedActions and absentRequirement hooks). */
export interface WindowDefaults {
  absentAllowedActions(): string[] | null;
  absentRequirement(field: 'require_preflight' | 'require_idempotency', given?: Readonly<Record<string, unknown>>): boolean;
}

function parseWindow(body: unknown, path: string, issues: ValidationIssue[], highRisk: boolean, defaults: WindowDefaults): HighRiskWindow | WritesWindow | undefined {
  if (!isObject(body)) {
    issues.push(issue([path], `${path} must be an object`, 'invalid_type'));
    return undefined;
  }
  const c = new Checker(body, [path]);
  const common = ['enabled', 'expires_at', 'allowed_actions'];
  c.only(highRisk ? [...common, 'require_preflight', 'require_idempotency', 'max_export_rows'] : common);
  const enabled = c.boolean('enabled') ?? false;
  const expires_at = c.date('expires_at', { nullable: true }) ?? null;
  // Absent or null: the defaults decide (any action by default: the brief is silent; the authors' runtime stores null).
  const allowed_actions = c.stringArray('allowed_actions', { nullable: true }) ?? defaults.absentAllowedActions();
  // Field order follows the authors' runtime (fixture admin-auto-execute-enable.json).
  const window: WritesWindow | HighRiskWindow = highRisk
    ? {
        enabled,
        expires_at,
        require_preflight: c.boolean('require_preflight') ?? defaults.absentRequirement('require_preflight', body),
        require_idempotency: c.boolean('require_idempotency') ?? defaults.absentRequirement('require_idempotency', body),
        max_export_rows: c.number('max_export_rows', { integer: true, min: 1 }) ?? 1000,
        allowed_actions,
      }
    : { enabled, expires_at, allowed_actions };
  issues.push(...c.issues);
  return window;
}

/**
 * Validates a PATCH /apps/{id}/auto-execute body and merges it over the current configuration.
 * `defaults` gives what a window set without allowed_actions or a require_* flag gets.
 */
export function parseAutoExecute(body: unknown, current: NormalizedAutoExecute, defaults: WindowDefaults): { config?: NormalizedAutoExecute; issues: ValidationIssue[] } {
  if (!isObject(body)) return { issues: [issue([], 'auto_execute must be an object', 'invalid_type')] };
  const top = new Checker(body);
  top.only(['writes', 'high_risk']);
  const issues = [...top.issues];
  const config: NormalizedAutoExecute = { ...current };
  if (body.writes !== undefined) config.writes = parseWindow(body.writes, 'writes', issues, false, defaults) as WritesWindow;
  if (body.high_risk !== undefined) config.high_risk = parseWindow(body.high_risk, 'high_risk', issues, true, defaults) as HighRiskWindow;
  return issues.length > 0 ? { issues } : { config, issues };
}
