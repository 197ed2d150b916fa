/**
 * The engine's entry point: resolve what to run, reach the target (or start the embedded reference
 * runtime), run the checks, clean up what the run provisioned, and return the report. It never prints and
 * never sets an exit code; tool errors are thrown as ToolError (exit 2 configuration, 3 cannot evaluate).
 */
import { randomInt } from 'node:crypto';
import { AGENT_BASE } from '../protocol/types.js';
import { validateAgainst } from '../protocol/schemas.js';
import { FAULTS } from '../runtime/faults/index.js';
import { ToolError, type CheckDef, type Safety } from './check.js';
import { createAdminClient } from './clients.js';
import { credentialSecrets, runSecrets, type FuzzBudget, type RunEnv } from './context.js';
import { Journal } from './journal.js';
import { PACKAGE_ROOT, TOOL_VERSION, USER_AGENT } from './paths.js';
import { PersonaRegistry } from './personas.js';
import { nearest } from './profiles.js';
import type { RunEvent, RunReport } from './result.js';
import { DEFAULT_DEADLINES, runChecks, summarize, verdictOf } from './runner.js';
import { heldBackFlag, resolveSelection, type Selection } from './selection.js';
import { DEMO_TARGET, type ResolvedTarget } from './target.js';
import { loadTargetFile } from './target-file.js';
import { HttpTransport, InProcessTransport, type Transport } from './transport.js';

export { resolveSelection, defaultEmbeddedProfile, heldBackFlag, type Selection, type SelectionOptions } from './selection.js';
export { PROFILE_NAMES, listProfiles, loadProfile, type LoadedProfile } from './profiles.js';
export { verdictOf, summarize } from './runner.js';
export { loadTargetFile } from './target-file.js';
export { TOOL_VERSION, PACKAGE_ROOT };

export interface RunOptions {
  /** Absent → the embedded reference runtime, in-process. */
  url?: string;
  /** Default: url → 'core'; embedded → the highest profile whose requirements all have checks. */
  profile?: string;
  /** From --admin-header 'Name: value' (embedded default: the runtime's admin headers). */
  adminHeaders?: Record<string, string>;
  /** Agent token (embedded default: the runtime's bootstrap key). */
  token?: string;
  /** YAML target file, merged over DEMO_TARGET. */
  targetFile?: string;
  /** Default: url → 'read-only'; embedded → 'load'. */
  safety?: Safety;
  strict?: boolean;
  /** Requirement ids or globs like 'AUTHN-*' (comma-separated values are split). */
  only?: string[];
  exclude?: string[];
  /** Default: crypto-random 32-bit; always reported. */
  seed?: number;
  /** Per request, default 10 000. */
  timeoutMs?: number;
  /** Checks in parallel, default 4. */
  concurrency?: number;
  /** Embedded only: faults injected into the runtime. */
  faults?: string[];
  /** Default: CHECKS from suites/index.ts. */
  checks?: readonly CheckDef[];
  /** Budget of generated-input checks (--fuzz-runs, --fuzz-time, a replay path). */
  fuzz?: Partial<FuzzBudget>;
  onEvent?: (e: RunEvent) => void;
  signal?: AbortSignal;
  /** Stream every exchange, redacted, to this JSON-lines file (src/engine/journal.ts), up to maxBytes. */
  journal?: { file: string; maxBytes?: number };
}

/** Embedded runs use a small window so rate-limit checks finish in about a second. */
export const EMBEDDED_RATE_LIMIT = { limit: 30, windowMs: 1000 } as const;
export const DEFAULT_FUZZ: FuzzBudget = { runs: 100, timeMs: 10_000 };

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1) throw new ToolError(`${name} must be a positive integer, got ${v}`, 2);
  return v;
}

function resolveSeed(seed: number | undefined): number {
  if (seed === undefined) return randomInt(0, 2 ** 32);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new ToolError(`--seed must be an integer in 0..4294967295, got ${seed}`, 2);
  return seed;
}

function checkFaults(faults: string[]): void {
  const valid = FAULTS.map((f) => f.name as string);
  for (const f of faults) {
    if (!valid.includes(f)) throw new ToolError(`unknown fault "${f}"; nearest: ${nearest(f, valid).join(', ')} (all: openport-conform faults)`, 2);
  }
}

/** The target must answer GET /healthz and an unauthenticated GET /manifest with OpenPort envelopes. */
async function probe(t: Transport): Promise<void> {
  for (const path of ['/healthz', `${AGENT_BASE}/manifest`]) {
    const ex = await t.send({ method: 'GET', path, headers: { 'user-agent': USER_AGENT } });
    const json = ex.response.json;
    if (json === undefined || validateAgainst('envelope', json).length > 0) {
      const ct = (ex.response.headers['content-type'] ?? '(no content type)').split(';')[0].trim();
      throw new ToolError(`${t.baseUrl} does not speak OpenPort agent/v1: GET ${path} answered HTTP ${ex.response.status} ${ct}`, 3);
    }
  }
}

function replayCommand(opts: RunOptions, sel: Selection, seed: number): (id: string) => string {
  return (id) => {
    const parts = ['openport-conform', 'run'];
    if (opts.url) parts.push(opts.url);
    parts.push('--profile', sel.profile.name, '--only', id, '--seed', String(seed));
    for (const f of opts.faults ?? []) parts.push('--fault', f);
    if (opts.url) parts.push('--safety', sel.safety);
    return parts.join(' ');
  };
}

export async function run(opts: RunOptions): Promise<RunReport> {
  const startedAt = new Date();
  const started = performance.now();
  const embedded = opts.url === undefined;
  const faults = opts.faults ?? [];
  if (!embedded && faults.length > 0) throw new ToolError('--fault applies only to the embedded runtime; omit the URL to use it', 2);
  checkFaults(faults);
  const timeoutMs = positiveInt('--timeout', opts.timeoutMs, 10_000);
  const concurrency = positiveInt('--concurrency', opts.concurrency, 4);
  const seed = resolveSeed(opts.seed);
  const checks = opts.checks ?? (await import('../../suites/index.js')).CHECKS;
  const sel = resolveSelection({ profile: opts.profile, embedded, safety: opts.safety, only: opts.only, exclude: opts.exclude, checks });
  const target: ResolvedTarget = opts.targetFile ? loadTargetFile(opts.targetFile) : structuredClone(DEMO_TARGET);

  let transport: Transport;
  let token = opts.token;
  let adminHeaders = opts.adminHeaders;
  // The journal redacts with every secret the run holds, persona tokens included, as they appear.
  let env: RunEnv | undefined;
  const journal = new Journal(opts.journal?.file, {
    target: embedded ? 'embedded:' : opts.url!,
    maxBytes: opts.journal?.maxBytes,
    secrets: () => (env ? runSecrets(env) : [opts.token ?? '', ...Object.values(opts.adminHeaders ?? {})].filter((x) => x !== '')),
    credentials: () => (env ? credentialSecrets(env) : []),
  });
  if (embedded) {
    // Loaded on demand: runs against a URL never pay for the reference runtime.
    const { createRuntime } = await import('../runtime/index.js');
    const runtime = createRuntime({ rateLimit: { ...EMBEDDED_RATE_LIMIT }, faults });
    target.rateLimit = { ...EMBEDDED_RATE_LIMIT };
    transport = new InProcessTransport(runtime, { journal });
    token ??= runtime.bootstrap.agentToken;
    adminHeaders ??= runtime.adminHeaders;
  } else {
    transport = new HttpTransport(opts.url!, { timeoutMs, journal });
    try {
      await probe(transport);
    } catch (e) {
      await transport.close();
      journal.close();
      throw e;
    }
  }

  const registry = new PersonaRegistry();
  env = {
    transport,
    target,
    token,
    adminHeaders: adminHeaders && Object.keys(adminHeaders).length > 0 ? adminHeaders : undefined,
    seed,
    registry,
    fuzz: { ...DEFAULT_FUZZ, ...opts.fuzz },
    journal,
  };
  const targetLabel = embedded ? 'embedded:' : transport.baseUrl;
  opts.onEvent?.({ type: 'start', total: sel.planned.length + sel.missing.length, profile: sel.profile.name, target: targetLabel });

  let results;
  let cleanup: RunReport['cleanup'];
  try {
    results = await runChecks(sel, {
      env,
      concurrency,
      signal: opts.signal,
      deadlines: DEFAULT_DEADLINES,
      replay: replayCommand(opts, sel, seed),
      onResult: (result, done, total) => opts.onEvent?.({ type: 'result', result, done, total }),
    });
  } finally {
    // Cleanup is not bound to the run's abort signal: after Ctrl-C the apps must still be revoked.
    const admin = env.adminHeaders ? createAdminClient((req) => transport.send(req), env.adminHeaders) : undefined;
    cleanup = await registry.cleanup(admin);
    await transport.close();
  }
  const evidence = { journal: journal.close(), notInMemory: transport.unobserved() };

  const { verdict, exitCode } = verdictOf(results, opts.strict ?? false, sel.heldBack.map((p) => p.requirement));
  const flag = heldBackFlag(sel);
  const report: RunReport = {
    tool: { name: 'openport-conform', version: TOOL_VERSION },
    target: { url: targetLabel, embedded, faults: [...faults] },
    profile: sel.profile.name,
    safety: sel.safety,
    strict: opts.strict ?? false,
    seed,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    summary: summarize(results, sel.heldBack.length),
    heldBack: { ids: sel.heldBack.map((p) => p.requirement.id), ...(flag ? { flag } : {}) },
    verdict,
    exitCode,
    results,
    cleanup,
    evidence,
  };
  opts.onEvent?.({ type: 'end', report });
  return report;
}
