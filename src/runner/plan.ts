/**
 * What one check sends to a target: `explain ID --target FILE`. The check runs against the embedded
 * reference runtime serving the domain the description is written for (the shipped description with the same
 * tenant, else the demo), every request it sends is recorded, and so is every key of the description it
 * reads. Against another server the requests are the same as long as the answers are; a check that branches
 * on an answer (a refusal, a missing field) may stop earlier or send others.
 */
import type { CheckDef, Exchange } from '../kit/check.js';
import { loadTargetFile, SHIPPED_TARGETS, shippedTarget } from './target-file.js';
import { writeSamples, type ResolvedTarget } from '../kit/target.js';

export interface CheckPlan {
  /** The runtime domain the requests were recorded against; undefined when none serves the description's tenant (no replay). */
  domain?: string;
  /** "METHOD path body" of each request, in order (secrets are never in paths or bodies the checks build). */
  requests: string[];
  /** Dotted keys of the target description the check read, with their values (short). */
  keys: string[];
  status: string;
}

/** Record every key read of `value` under `prefix` into `seen` (objects are wrapped again on the way down). */
function recording<T extends object>(value: T, prefix: string, seen: Map<string, unknown>): T {
  return new Proxy(value, {
    get(t, p, r) {
      const v = Reflect.get(t, p, r);
      if (typeof p !== 'string' || (Array.isArray(t) && !/^\d+$/.test(p))) return v;
      const key = prefix ? `${prefix}.${p}` : p;
      if (v !== null && typeof v === 'object') return recording(v as object, key, seen);
      seen.set(key, v);
      return v;
    },
  });
}

/** The shipped domain whose embedded runtime serves the description's tenant, if any. */
function domainOf(t: ResolvedTarget): string | undefined {
  return SHIPPED_TARGETS.find((name) => shippedTarget(name).orgId === t.orgId);
}

const short = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 60)}…` : s;
};

/** Every leaf key of the description, dotted, with its value (short). */
function leaves(value: unknown, prefix: string, out: string[]): string[] {
  if (value !== null && typeof value === 'object' && !(Array.isArray(value) && value.every((x) => typeof x !== 'object'))) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.push(`${prefix} = ${short(value)}`);
  return out;
}

/**
 * The request shapes of the binding as the description builds them (its reads with their default
 * arguments, preflight and actions of each write sample), for a description no embedded runtime serves.
 */
function shapesOf(t: ResolvedTarget): string[] {
  const qs = (q: Record<string, unknown> | undefined) => (q && Object.keys(q).length ? `?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString()}` : '');
  return [
    'GET /api/agent/v1/manifest',
    ...t.reads.map((r) => `GET ${r.path}${qs(r.query)}`),
    ...writeSamples(t).flatMap((s) => [`POST /api/agent/v1/preflight {"action":"${s.action}","payload":${short(s.payload)}}`, `POST /api/agent/v1/actions {"action":"${s.action}","payload":…}`]),
  ];
}

function show(ex: Exchange): string {
  const body = ex.request.body === undefined ? '' : ` ${ex.request.body.length > 160 ? `${ex.request.body.slice(0, 160)}…` : ex.request.body}`;
  return `${ex.request.method} ${ex.request.path}${body}  → ${ex.response.status}`;
}

/** The plan of `def`, one of `checks` (the run needs the whole list: the others are planned, never run). */
export async function planOf(def: CheckDef, checks: readonly CheckDef[], targetFile: string): Promise<CheckPlan> {
  const target = loadTargetFile(targetFile);
  const domain = domainOf(target);
  // Replaying against a runtime that refuses the tenant would show nothing but refusals of the set-up.
  if (domain === undefined) return { requests: shapesOf(target), keys: leaves(target, '', []), status: 'not replayed' };
  const requests: string[] = [];
  const seen = new Map<string, unknown>();
  const wrapped: CheckDef = {
    ...def,
    run: (ctx) => def.run(new Proxy(ctx, { get: (t, p) => (p === 'target' ? recording(t.target, '', seen) : Reflect.get(t, p, t)) })),
  };
  // The engine (and the runtime it embeds) loads when a plan is asked for, not with `explain`'s module.
  const { run } = await import('./run.js');
  const report = await run({ domain: domain as 'demo', targetFile, checks: checks.map((c) => (c.id === def.id ? wrapped : c)), only: [def.id], safety: 'load', seed: 1, fuzz: { runs: 5, timeMs: 2_000 }, onExchange: (id, ex) => void (id === def.id && requests.push(show(ex))) });
  return { domain, requests, keys: [...seen].map(([k, v]) => `${k} = ${short(v)}`).sort(), status: report.results[0]?.status ?? 'not run' };
}
