/**
 * What one check sends to a target: `explain ID --target FILE`. The check runs against the embedded
 * reference runtime serving the domain the description is written for (the shipped description with the same
 * tenant, else the demo), every request it sends is recorded, and so is every key of the description it
 * reads. Against another server the requests are the same as long as the answers are; a check that branches
 * on an answer (a refusal, a missing field) may stop earlier or send others.
 */
import type { CheckDef, Exchange } from '../kit/check.js';
import { run } from './run.js';
import { loadTargetFile, SHIPPED_TARGETS, shippedTarget } from './target-file.js';
import type { ResolvedTarget } from '../kit/target.js';

export interface CheckPlan {
  /** The runtime domain the requests were recorded against. */
  domain: string;
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

function domainOf(t: ResolvedTarget): string {
  return SHIPPED_TARGETS.find((name) => shippedTarget(name).orgId === t.orgId) ?? 'demo';
}

function show(ex: Exchange): string {
  const body = ex.request.body === undefined ? '' : ` ${ex.request.body.length > 160 ? `${ex.request.body.slice(0, 160)}…` : ex.request.body}`;
  return `${ex.request.method} ${ex.request.path}${body}  → ${ex.response.status}`;
}

/** The plan of `def`, one of `checks` (the run needs the whole list: the others are planned, never run). */
export async function planOf(def: CheckDef, checks: readonly CheckDef[], targetFile: string): Promise<CheckPlan> {
  const target = loadTargetFile(targetFile);
  const domain = domainOf(target);
  const requests: string[] = [];
  const seen = new Map<string, unknown>();
  const wrapped: CheckDef = {
    ...def,
    run: (ctx) => def.run(new Proxy(ctx, { get: (t, p) => (p === 'target' ? recording(t.target, '', seen) : Reflect.get(t, p, t)) })),
  };
  const report = await run({ domain: domain as 'demo', targetFile, checks: checks.map((c) => (c.id === def.id ? wrapped : c)), only: [def.id], safety: 'load', seed: 1, fuzz: { runs: 5, timeMs: 2_000 }, onExchange: (id, ex) => void (id === def.id && requests.push(show(ex))) });
  const short = (v: unknown) => {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 60)}…` : s;
  };
  return { domain, requests, keys: [...seen].map(([k, v]) => `${k} = ${short(v)}`).sort(), status: report.results[0]?.status ?? 'not run' };
}
