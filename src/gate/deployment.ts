/**
 * Deployment safety scan: the live configuration (apps, their scopes, policies and auto-execute settings,
 * the tools of each app) read through the admin plane or from exported JSON/YAML files, judged by the
 * rules a reviewer would apply. Rules the protocol brief's release-gate paragraph states fail the gate
 * (GATE-001..003); the others warn unless the config lists them under deployment.fail.
 */
import { readFileSync, existsSync } from 'node:fs';
import { yaml } from '../kit/lazy.js';
import { listedItems, openAdminReader, shapeOf, type AdminReader, type EmbeddedDeployment } from '../runner/admin-read.js';
import { ADMIN_BASE } from '../protocol/types.js';
import { ToolError } from '../kit/check.js';
import { requirement } from '../protocol/requirements.js';

export interface DeploymentApp {
  id: string;
  name?: string;
  status?: string;
  scopes?: string[];
  policy?: any;
  auto_execute?: any;
  tools?: any[];
}

export interface Deployment {
  /** "embedded:", a URL, or the file it was read from. */
  source: string;
  /** True when read from a file: findings point at lines of it. */
  file?: string;
  apps: DeploymentApp[];
}

export interface DeploymentFinding {
  ruleId: string;
  status: 'fail' | 'warn';
  app: string;
  message: string;
  /** Where in the deployment: a JSON path such as /apps/0/auto_execute/high_risk. */
  path: (string | number)[];
  /** The deployment's source, and for files the line and column of `path`. */
  source: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface RuleInfo { id: string; rationale: string; explain: string; threshold?: string }

/** One line of rationale and the explain text of every deployment rule (their titles live in the requirement table). */
export const DEPLOYMENT_RULES: readonly RuleInfo[] = [
  {
    id: 'GATE-001',
    rationale: 'An unrated or unconfirmed write tool lets an agent change data with no human in the loop.',
    explain: 'Every tool that writes (kind "action", an /actions route, or a non-GET http method) must carry risk low|medium|high and requiresConfirmation true. The protocol brief lists "every write tool risk-rated and confirmation-gated" among the release-gate scans, so this rule fails the gate.',
  },
  {
    id: 'GATE-002',
    rationale: 'High-risk auto-execution without preflight or idempotency executes unreviewed, unbound and repeatable writes.',
    explain: 'When auto_execute.high_risk is enabled and in force (not expired), require_preflight and require_idempotency must not be false (both default to true). The brief lists "high-risk tools preflight- and idempotency-gated" among the release-gate scans, so this rule fails the gate.',
  },
  {
    id: 'GATE-003',
    rationale: 'An auto-execute window without an end (or a very long one) is standing permission to write without review.',
    explain: 'Every enabled auto_execute window (writes and high_risk) must have an expires_at no further ahead than deployment.maxWindowHours (default 24). The brief lists "auto-execute windows bounded in time" among the release-gate scans, so this rule fails the gate. A window that is enabled but already expired executes nothing: it is reported as expired, as a warning (a failure when deployment.fail or --fail-on lists GATE-003).',
    threshold: 'deployment.maxWindowHours (--max-window-hours), default 24',
  },
  {
    id: 'GATE-004',
    rationale: 'High-risk auto-execution should be limited to the actions that need it.',
    explain: 'When auto_execute.high_risk.enabled is true, allowed_actions should name the tools it applies to. Servers differ on what an empty list means; a reviewer wants it explicit. Warns by default; list GATE-004 under deployment.fail to fail on it.',
  },
  {
    id: 'GATE-005',
    rationale: 'An app holding every scope with neither a network nor a data policy is a skeleton key.',
    explain: 'An active app whose scopes cover every scope of the deployment (the scopes its tools require and its apps hold; a wildcard such as * or transaction.* covers what it matches; each app is judged on its own scopes; a file of one app and no tools names no scope beyond that app\'s, so there only * counts) should have policy.network.allowed_ips or a data policy (allowed_ledger_ids, allowed_org_ids or max_days). An allow-list admitting every address (0.0.0.0/0, ::/0, *) is no network policy, and max_days above 3650 is no data policy. Warns by default.',
  },
  {
    id: 'GATE-006',
    rationale: 'An app that may export data should not also see sensitive fields.',
    explain: 'An app holding an export scope (a scope whose name contains "export", or a wildcard such as transaction.* that covers one) should not set policy.data.allow_sensitive_fields to true. Warns by default.',
  },
];

export interface DeploymentOptions {
  /** Longest acceptable auto-execute window in hours (default 24). */
  maxWindowHours?: number;
  /** SHOULD rules that fail the gate too. */
  fail?: readonly string[];
  now?: Date;
}

function isWriteTool(t: any): boolean {
  const method = String(t?.http?.method ?? 'GET').toUpperCase();
  return t?.kind === 'action' || /\/actions\/?$/.test(String(t?.http?.path ?? '')) || !['GET', 'HEAD'].includes(method);
}

/** Beyond ten years a max_days bounds nothing. */
const MAX_MEANINGFUL_DAYS = 3650;

function hasDataPolicy(policy: any): boolean {
  const d = policy?.data ?? {};
  const days = typeof d.max_days === 'number' && d.max_days > 0 && d.max_days <= MAX_MEANINGFUL_DAYS;
  return (Array.isArray(d.allowed_ledger_ids) && d.allowed_ledger_ids.length > 0) || (Array.isArray(d.allowed_org_ids) && d.allowed_org_ids.length > 0) || days;
}

/** `0.0.0.0/0`, `::/0` (any prefix of length 0) and `*` admit every address: no network policy at all. */
function admitsAnyAddress(entry: unknown): boolean {
  const e = String(entry).trim();
  return e === '*' || /\/0$/.test(e);
}

function hasNetworkPolicy(policy: any): boolean {
  const ips = policy?.network?.allowed_ips;
  return Array.isArray(ips) && ips.length > 0 && !ips.some(admitsAnyAddress);
}

const isWildcard = (scope: string) => scope.includes('*');

/** `*` covers every scope; `transaction.*` covers `transaction.read`; anything else only itself. */
function covers(held: string, scope: string): boolean {
  if (!isWildcard(held)) return held === scope;
  return new RegExp(`^${held.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(scope);
}

type WindowState = { state: 'off' } | { state: 'unbounded' } | { state: 'expired' | 'open'; until: number };

/** Whether a window is in force now: an enabled window whose expires_at has passed executes nothing. */
function windowState(win: any, now: number): WindowState {
  if (win?.enabled !== true) return { state: 'off' };
  const until = win.expires_at ? Date.parse(win.expires_at) : NaN;
  if (Number.isNaN(until)) return { state: 'unbounded' };
  return { state: until <= now ? 'expired' : 'open', until };
}

/** Judge a deployment. Revoked apps are ignored: they can no longer act; expired windows: they execute nothing. */
export function scanDeployment(dep: Deployment, opts: DeploymentOptions = {}): DeploymentFinding[] {
  const maxHours = opts.maxWindowHours ?? 24;
  const now = (opts.now ?? new Date()).getTime();
  const findings: DeploymentFinding[] = [];
  const add = (ruleId: string, app: DeploymentApp, path: (string | number)[], message: string, status?: 'warn') => {
    const should = requirement(ruleId).level === 'SHOULD' && !opts.fail?.includes(ruleId);
    findings.push({ ruleId, status: status ?? (should ? 'warn' : 'fail'), app: app.id, message, path, source: dep.source, ...(dep.file ? { file: dep.file } : {}) });
  };
  const active = dep.apps.map((app, i) => ({ app, i })).filter(({ app }) => app.status !== 'revoked');
  // The concrete scopes of the deployment; a wildcard is what an app holds, not a scope to be held.
  const everyScope = new Set<string>();
  for (const { app } of active) {
    for (const s of app.scopes ?? []) if (!isWildcard(s)) everyScope.add(s);
    for (const t of app.tools ?? []) for (const s of t?.requiredScopes ?? []) if (!isWildcard(String(s))) everyScope.add(String(s));
  }
  // "Every scope" needs a source besides the app judged: tools that require scopes, or another app. A lone app
  // without tools holds every scope of its file by definition, which says nothing (only * says it there).
  const universeKnown = active.length > 1 || active.some(({ app }) => (app.tools ?? []).length > 0);
  // A tool the server lists for every app is reported once per way it is declared, not once per app; a
  // declaration that differs (another app's copy unconfirmed) is judged on its own.
  const toolsSeen = new Set<string>();
  for (const { app, i } of active) {
    (app.tools ?? []).forEach((t, j) => {
      const name = String(t?.name ?? `#${j}`);
      if (!isWriteTool(t)) return;
      const problems = [
        ...(t?.requiresConfirmation === true ? [] : ['requiresConfirmation is not true']),
        ...(['low', 'medium', 'high'].includes(t?.risk) ? [] : [`risk is ${JSON.stringify(t?.risk ?? null)}`]),
      ];
      const seen = `${name}\n${problems.join('\n')}`;
      if (problems.length === 0 || toolsSeen.has(seen)) return;
      toolsSeen.add(seen);
      add('GATE-001', app, ['apps', i, 'tools', j], `write tool ${name}${app.id ? ` (app ${app.id})` : ''}: ${problems.join(', ')}`);
    });
    const ae = app.auto_execute ?? {};
    const hr = ae.high_risk;
    const hrInForce = ['open', 'unbounded'].includes(windowState(hr, now).state);
    if (hrInForce && (hr.require_preflight === false || hr.require_idempotency === false)) {
      const off = [hr.require_preflight === false ? 'require_preflight' : '', hr.require_idempotency === false ? 'require_idempotency' : ''].filter(Boolean);
      add('GATE-002', app, ['apps', i, 'auto_execute', 'high_risk'], `app ${app.id}: high-risk auto-execution with ${off.join(' and ')} false`);
    }
    for (const w of ['writes', 'high_risk'] as const) {
      const win = ae[w];
      const st = windowState(win, now);
      if (st.state === 'unbounded') add('GATE-003', app, ['apps', i, 'auto_execute', w], `app ${app.id}: ${w} auto-execute window has no expires_at (unbounded)`);
      else if (st.state === 'expired') {
        // Harmless now, and misleading: the config says enabled. A warning, whatever GATE-003's level.
        add('GATE-003', app, ['apps', i, 'auto_execute', w, 'expires_at'], `app ${app.id}: ${w} auto-execute window expired at ${win.expires_at} and is still enabled (not in force; disable or renew it)`, opts.fail?.includes('GATE-003') ? undefined : 'warn');
      } else if (st.state === 'open' && st.until - now > maxHours * 3_600_000) {
        add('GATE-003', app, ['apps', i, 'auto_execute', w, 'expires_at'], `app ${app.id}: ${w} auto-execute window ends ${win.expires_at}, ${Math.round((st.until - now) / 3_600_000)} h ahead (maximum ${maxHours} h)`);
      }
    }
    if (hrInForce && !(Array.isArray(hr.allowed_actions) && hr.allowed_actions.length > 0)) {
      add('GATE-004', app, ['apps', i, 'auto_execute', 'high_risk'], `app ${app.id}: high-risk auto-execution enabled without allowed_actions`);
    }
    const scopes = (app.scopes ?? []).map(String);
    const holdsEvery = scopes.includes('*') || (universeKnown && everyScope.size > 0 && [...everyScope].every((s) => scopes.some((h) => covers(h, s))));
    if (holdsEvery && !hasNetworkPolicy(app.policy) && !hasDataPolicy(app.policy)) {
      const what = scopes.includes('*') ? 'the wildcard scope *' : `every scope (${everyScope.size})`;
      add('GATE-005', app, ['apps', i, 'policy'], `app ${app.id}${app.name ? ` (${app.name})` : ''} holds ${what} with no network and no data policy`);
    }
    // An export scope held by name, or through a wildcard that covers one of the deployment's (transaction.* covers transaction.export).
    if (app.policy?.data?.allow_sensitive_fields === true && scopes.some((s) => /export/i.test(s) || s === '*' || [...everyScope].some((e) => /export/i.test(e) && covers(s, e)))) {
      add('GATE-006', app, ['apps', i, 'policy', 'data', 'allow_sensitive_fields'], `app ${app.id}: allow_sensitive_fields true with an export scope`);
    }
  }
  return findings;
}

/** An exported deployment: `{apps: [{id, name?, status?, scopes, policy, auto_execute, tools}]}` in JSON or YAML. */
export function loadDeploymentFile(file: string): { deployment: Deployment; locate(path: (string | number)[]): { line: number; col: number } | undefined } {
  if (!existsSync(file)) throw new ToolError(`deployment file ${file} does not exist`, 2);
  const { LineCounter, parseDocument, isNode } = yaml();
  const lc = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lc });
  if (doc.errors.length > 0) throw new ToolError(`invalid deployment file ${file}: not valid JSON/YAML: ${doc.errors[0]!.message.split('\n')[0]}`, 2);
  const data = doc.toJS() as { apps?: unknown } | null;
  if (!data || !Array.isArray(data.apps)) throw new ToolError(`invalid deployment file ${file}: /apps: expected an array of apps ({id, scopes, policy, auto_execute, tools})`, 2);
  const apps = data.apps.map((a: unknown, i: number) => checkedApp(a, `/apps/${i}`, (at, what) => new ToolError(`invalid deployment file ${file}: ${at}: ${what}`, 2), true));
  return {
    deployment: { source: file, file, apps },
    locate(path) {
      // The deepest node of the path that exists.
      for (let n = path.length; n > 0; n--) {
        const node = doc.getIn(path.slice(0, n), true);
        if (isNode(node) && node.range) return lc.linePos(node.range[0]);
      }
      return undefined;
    },
  };
}

const WINDOW_KEYS = { writes: ['enabled', 'expires_at', 'allowed_actions'], high_risk: ['enabled', 'expires_at', 'allowed_actions', 'require_preflight', 'require_idempotency', 'max_export_rows'] } as const;

/**
 * An app of a deployment file, its fields of the kinds the rules read: a value of another kind would make a
 * rule pass unseen (`enabled: yes` is a string in YAML 1.2, so the window would count as off) or the scan
 * crash. The auto-execute settings are the protocol's own, so in a file (`ownKeysOnly`) a misspelt one
 * (`enabeld`) is refused; a server may add members of its own. The app may carry any other member. `autoExecute` is read as auto_execute, as on the live plane.
 */
function checkedApp(a: any, at: string, bad: (at: string, what: string) => ToolError, ownKeysOnly: boolean): DeploymentApp {
  const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const strings = (v: unknown, where: string) => {
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) throw bad(where, 'expected a list of strings');
  };
  if (!isObj(a)) throw bad(at, 'expected an app object ({id, scopes, policy, auto_execute, tools})');
  if (typeof a.id !== 'string') throw bad(`${at}/id`, 'expected a string');
  strings(a.scopes, `${at}/scopes`);
  if (a.policy !== undefined && a.policy !== null && !isObj(a.policy)) throw bad(`${at}/policy`, 'expected an object');
  const sensitive = a.policy?.data?.allow_sensitive_fields;
  if (sensitive !== undefined && sensitive !== null && typeof sensitive !== 'boolean') throw bad(`${at}/policy/data/allow_sensitive_fields`, `expected true or false, not ${JSON.stringify(sensitive)}`);
  const aeKey = a.auto_execute === undefined && a.autoExecute !== undefined ? 'autoExecute' : 'auto_execute';
  const ae = a[aeKey];
  if (ae !== undefined && ae !== null) {
    if (!isObj(ae)) throw bad(`${at}/${aeKey}`, 'expected an object');
    for (const [w, win] of Object.entries<any>(ae)) {
      const keys = (WINDOW_KEYS as Record<string, readonly string[]>)[w];
      if (keys === undefined) {
        if (ownKeysOnly) throw bad(`${at}/${aeKey}/${w}`, `unknown key; allowed: ${Object.keys(WINDOW_KEYS).join(', ')}`);
        continue;
      }
      if (win === null) continue;
      if (!isObj(win)) throw bad(`${at}/${aeKey}/${w}`, 'expected an object');
      for (const [k, v] of Object.entries(win)) {
        const where = `${at}/${aeKey}/${w}/${k}`;
        if (!keys.includes(k)) {
          if (ownKeysOnly) throw bad(where, `unknown key; allowed: ${keys.join(', ')}`);
          continue;
        }
        if (v === null) continue;
        if (['enabled', 'require_preflight', 'require_idempotency'].includes(k) && typeof v !== 'boolean') throw bad(where, `expected true or false, not ${JSON.stringify(v)}`);
        if (k === 'expires_at' && typeof v !== 'string') throw bad(where, 'expected a date-time string');
        if (k === 'allowed_actions') strings(v, where);
        if (k === 'max_export_rows' && typeof v !== 'number') throw bad(where, 'expected a number');
      }
    }
  }
  if (a.tools !== undefined && !Array.isArray(a.tools)) throw bad(`${at}/tools`, 'expected an array');
  (a.tools ?? []).forEach((t: any, j: number) => {
    if (!isObj(t)) throw bad(`${at}/tools/${j}`, 'expected a tool object ({name, kind, risk, requiresConfirmation, http})');
    if (t.http !== undefined && t.http !== null && !isObj(t.http)) throw bad(`${at}/tools/${j}/http`, 'expected an object ({method, path})');
    strings(t.requiredScopes, `${at}/tools/${j}/requiredScopes`);
  });
  return aeKey === 'autoExecute' ? { ...a, auto_execute: ae } : a;
}

/** Pages of GET /apps the scan follows at most (a bound on a server whose cursor never ends). */
const MAX_APP_PAGES = 1000;

/**
 * GET `path` and the list of `what` its answer holds (`{items}`, `{apps}` or `{tools}`, or a bare array:
 * listedItems); an answer of another shape is an error of the step (exit 3), never an empty list.
 */
async function getList(reader: AdminReader, path: string, what: 'apps' | 'tools'): Promise<{ data: unknown; items: unknown[] }> {
  const data = await reader.get(path);
  const items = listedItems(data, what);
  if (!items) throw new ToolError(`GET ${ADMIN_BASE}${path} on ${reader.label} answered data the deployment scan cannot read as a list of ${what} (${shapeOf(data)}); it reads data.items, data.${what} or a bare array`, 3);
  return { data, items };
}

/**
 * Every app the admin plane lists: a server that pages (`data.nextCursor`, as the reference runtime does)
 * is followed page by page; one that answers the whole list is read as is. The first request carries no
 * paging parameter, so a server that knows none sees the plain listing.
 */
async function listApps(reader: AdminReader): Promise<unknown[]> {
  const all: unknown[] = [];
  let path = '/apps';
  for (let page = 1; ; page++) {
    const { data, items } = await getList(reader, path, 'apps');
    for (const a of items) all.push(a);
    const next = (data as { nextCursor?: unknown } | null)?.nextCursor;
    if (typeof next !== 'string' || next === '') return all;
    if (page === MAX_APP_PAGES) throw new ToolError(`GET /apps on ${reader.label} still had a next page after ${MAX_APP_PAGES} pages (${all.length} apps); the deployment scan reads at most that many`, 3);
    path = `/apps?cursor=${encodeURIComponent(next)}`;
  }
}

/**
 * The live configuration through the admin plane: GET /apps, and GET /apps/{id}/tools for each active app.
 * Without a URL, that of an embedded runtime with `embedded`'s faults and domain.
 */
export async function readLiveDeployment(url: string | undefined, adminHeaders: Record<string, string> | undefined, timeoutMs?: number, embedded?: EmbeddedDeployment): Promise<Deployment> {
  const reader = await openAdminReader(url, adminHeaders, timeoutMs, embedded);
  try {
    const apps: DeploymentApp[] = [];
    for (const a of (await listApps(reader)) as any[]) {
      const app: DeploymentApp = { id: String(a.id), name: a.name, status: a.status, scopes: a.scopes ?? [], policy: a.policy ?? {}, auto_execute: a.auto_execute ?? a.autoExecute ?? {} };
      if (app.status !== 'revoked') {
        app.tools = (await getList(reader, `/apps/${encodeURIComponent(app.id)}/tools`, 'tools')).items;
      }
      // A server's values of the wrong kind are refused as a file's are, never misread; members it adds are its own.
      apps.push(checkedApp(app, `/apps/${apps.length}`, (at, what) => new ToolError(`the app listing of ${reader.label}: ${at}: ${what}`, 3), false));
    }
    return { source: reader.label, apps };
  } finally {
    await reader.close();
  }
}

/**
 * The deployment scan as the self-test judges runtime faults with it (`mutate` is handed this, as it is
 * handed the checks): the rules that fail the gate, and those an embedded runtime's deployment breaks.
 */
export const DEPLOYMENT_JUDGE = {
  rules: DEPLOYMENT_RULES.map((r) => r.id).filter((id) => requirement(id).level === 'MUST'),
  async judge(embedded: EmbeddedDeployment): Promise<string[]> {
    const dep = await readLiveDeployment(undefined, undefined, undefined, embedded);
    return [...new Set(scanDeployment(dep).filter((f) => f.status === 'fail').map((f) => f.ruleId))];
  },
};
