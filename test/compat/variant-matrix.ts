/**
 * The variant matrix, split across test files so that parallel workers share it (each file runs one shard).
 *
 * No false alarms on correct servers that choose differently: every legitimate variant of the reference
 * runtime (src/runtime/variants) is run through the whole state-witness profile at safety 'load': each
 * variant alone in memory (the embedded run, at half the cost of serving it), and all of them at once served
 * over loopback HTTP. No check may fail, error or block, and the only warnings allowed are the SHOULD
 * requirements the variant legitimately gives up. Each run also records the wire traffic, to show the suite
 * actually met the variant's choice (a variant no request reaches proves nothing).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, verdictResults } from '../support/suite.js';
import { ADMIN_BASE, AGENT_BASE } from '../../src/protocol/types.js';
import { createRuntime, startHttpServer } from '../../src/runtime/index.js';
import type { Runtime } from '../../src/runtime/types.js';
import type { Exchange } from '../../src/kit/check.js';
import type { RunReport } from '../../src/runner/result.js';
import { VARIANTS, type VariantName } from '../../src/runtime/variants/index.js';
import { shippedTarget, withToolScopes } from '../../src/runner/target-file.js';
import { testRuntime } from '../runtime/helpers.js';
import { virtualClock } from '../../src/runner/clock.js';

const RATE = { limit: 30, windowMs: 1000 };

/** One exchange as the server saw it (served over HTTP) or as the run sent it (in memory), bodies parsed. */
interface Seen {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  status: number;
  resHeaders: Record<string, string>;
  json: any;
}

interface Case {
  /** SHOULD ids the variant legitimately trips (reported as warn, never fail). */
  warns: string[];
  /** Evidence in the traffic that the suite met the variant's choice; absent when no check reaches it yet. */
  met?: (trace: Seen[]) => boolean;
  /** Run with the target whose read-back route leaves the page size to the server (so paging is exercised). */
  unpaged?: true;
}

const some = (pred: (s: Seen) => boolean) => (trace: Seen[]) => trace.some(pred);
const pathOnly = (s: Seen) => s.path.split('?')[0]!;
const data = (s: Seen) => s.json?.data;

const CASES: Partial<Record<VariantName, Case>> = {
  'authors-admin': {
    warns: [],
    met: some((s) => s.path.startsWith(`${ADMIN_BASE}/`) && s.headers.authorization === undefined && s.headers['x-admin-user'] !== undefined && s.status < 300),
  },
  'hidden-tool-unknown': {
    // The brief's order answers scope_denied for a known tool; answering like an unknown tool is the other choice.
    warns: [],
    met: some((s) => /\/(preflight|actions)$/.test(s.path) && /^transactions?\./.test(String(s.body?.action)) && s.status === 400 && s.json?.code === 'agent.action_unknown'),
  },
  'cross-tenant-404': {
    warns: [],
    met: some((s) => s.path.startsWith(`${AGENT_BASE}/transactions?`) && s.path.includes('ledger_main') && s.status === 404 && s.json?.code === 'agent.not_found'),
  },
  'plain-audit-query': {
    warns: [],
    met: some((s) => {
      const wanted = new URLSearchParams(s.path.split('?')[1] ?? '').get('appId');
      const items: { app_id: string | null }[] = data(s)?.items ?? [];
      return pathOnly(s) === `${ADMIN_BASE}/audit` && wanted !== null && items.some((e) => e.app_id !== wanted);
    }),
  },
  'witness-leaves-draft': {
    warns: [],
    met: (trace) => {
      const refused = new Set(trace.filter((s) => s.status === 409 && /\/drafts\/[^/]+\/approve$/.test(s.path)).map((s) => s.path.split('/').at(-2)));
      return trace.some((s) => refused.has(data(s)?.draft?.id) && data(s).draft.status === 'draft' && s.method === 'GET');
    },
  },
  'audit-visible-late': {
    warns: [],
    // A re-read of the trail, right after a listing and with nothing sent between, that shows an event the first did not.
    met: (trace) => trace.some((s, i) => {
      const next = trace[i + 1];
      const isAudit = (x: Seen | undefined) => x !== undefined && pathOnly(x) === `${ADMIN_BASE}/audit` && Array.isArray(data(x)?.items);
      if (!isAudit(s) || !isAudit(next)) return false;
      const before = new Set(data(s).items.map((e: { id: string }) => e.id));
      return data(next).items.some((e: { id: string }) => !before.has(e.id));
    }),
  },
  'retry-after-only': {
    warns: [],
    met: some((s) => s.status === 429 && s.resHeaders['retry-after'] !== undefined && s.resHeaders.ratelimit === undefined),
  },
  'no-idempotency-mismatch-code': {
    // A re-used key replays instead of refusing; IDEM-004 (never runs the new payload) must still pass.
    warns: ['IDEM-005'],
    met: some((s) => data(s)?.replayed === true && data(s).execution?.result?.transaction?.title !== s.body?.payload?.title),
  },
  'null-preflight-hash-on-create': {
    warns: [],
    met: some((s) => data(s)?.draft !== undefined && data(s).draft.preflight_hash === null),
  },
  'no-401-audit': {
    warns: ['AUDIT-003'],
    met: some((s) => s.status === 401 && typeof s.headers.authorization === 'string' && s.headers.authorization.startsWith('Bearer op_')),
  },
  'redaction-marker': {
    warns: [],
    met: some((s) => (data(s)?.items ?? []).some((row: { notes?: unknown }) => row.notes === '[redacted]')),
  },
  'notes-only-redaction': {
    warns: [],
    // txn_1 of the demo seed has notes; a restricted read shows them null next to its real title.
    met: some((s) => (data(s)?.items ?? []).some((row: { id?: unknown; title?: unknown; notes?: unknown }) => row.id === 'txn_1' && row.notes === null && row.title !== '[redacted]')),
  },
  'past-expiry-refused': {
    warns: [],
    met: some((s) => s.status === 400 && /\/(keys|auto-execute)$/.test(s.path) && JSON.stringify(s.json).includes('must be in the future')),
  },
  'personal-apps-refused': {
    warns: [],
    met: some((s) => s.status === 400 && s.path === `${ADMIN_BASE}/apps` && s.body?.scope === 'personal' && s.json?.code === 'common.validation'),
  },
  'service-users-checked': {
    warns: [],
    met: some((s) => s.status === 400 && s.path === `${ADMIN_BASE}/apps` && typeof s.body?.service_user_id === 'string' && s.json?.code === 'common.validation'),
  },
  'expiry-utc-only': {
    warns: [],
    met: some((s) => s.status === 400 && s.path.endsWith('/auto-execute') && JSON.stringify(s.body ?? null).includes('+00:00') && s.json?.code === 'common.validation'),
  },
  'method-404': {
    warns: [],
    met: some((s) => !['GET', 'POST'].includes(s.method) && s.path.startsWith(`${AGENT_BASE}/`) && s.status === 404 && s.resHeaders.allow === undefined),
  },
  'idempotency-mismatch-422': {
    warns: [],
    met: some((s) => s.status === 422 && s.json?.code === 'agent.idempotency_mismatch'),
  },
  'plain-content-type': {
    warns: [],
    met: (trace) => trace.length > 0 && trace.every((s) => s.resHeaders['content-type'] === 'application/json'),
  },
  'stale-witness-auto-draft': {
    warns: [],
    met: some((s) => data(s)?.status === 'draft' && data(s).autoExecuteDeniedCode === 'agent.precondition_failed'),
  },
  'small-default-page': {
    warns: [],
    unpaged: true,
    met: some((s) => pathOnly(s) === `${AGENT_BASE}/transactions` && !s.path.includes('pageSize=') && data(s)?.pageSize === 10 && data(s).hasMore === true),
  },
  'created-201': {
    warns: [],
    met: some((s) => s.status === 201),
  },
  'agent-created-201': {
    warns: [],
    met: some((s) => s.status === 201 && s.path.startsWith(`${AGENT_BASE}/`)),
  },
  'reject-returns-draft': {
    warns: [],
    met: some((s) => /\/drafts\/[^/]+\/reject$/.test(s.path) && data(s)?.draft?.status === 'canceled'),
  },
  'refuse-unknown-fields': {
    warns: [],
    met: some((s) => s.status === 400 && (s.json?.details?.issues ?? []).some((i: { code?: string; path?: unknown[] }) => i.code === 'unrecognized_keys' && i.path?.[0] === 'payload')),
  },
  // Scope maps: the run's target describes the runtime's own tool map (describedAs below); each is also run
  // under 20 seeds on both domains by test/compat/seeds.test.ts.
  'high-risk-create-scope': {
    warns: [],
    met: some((s) => s.path.endsWith('/manifest') && (data(s)?.tools ?? []).some((x: { name?: string; requiredScopes?: string[] }) => x.name === 'transaction.delete' && x.requiredScopes?.join() === 'transaction.write')),
  },
  'shared-read-write-scope': {
    warns: [],
    met: some((s) => pathOnly(s) === `${AGENT_BASE}/transactions` && s.status === 200),
  },
  'epoch-timestamps': {
    warns: [],
    // An audit listing, a draft and an app echo with numbers where the reference runtime writes ISO strings.
    met: (trace) =>
      trace.some((s) => pathOnly(s) === `${ADMIN_BASE}/audit` && (data(s)?.items ?? []).some((e: { created_at?: unknown }) => typeof e.created_at === 'number')) &&
      trace.some((s) => typeof data(s)?.draft?.created_at === 'number') &&
      trace.some((s) => typeof data(s)?.app?.auto_execute?.writes?.expires_at === 'number'),
  },
  'second-timestamps': {
    warns: [],
    // An app echoing its auto-execute window to the second, where the run sent milliseconds.
    met: some((s) => /T\d\d:\d\d:\d\dZ$/.test(String(data(s)?.app?.auto_execute?.writes?.expires_at ?? ''))),
  },
  'sequential-ids': {
    warns: [],
    // A draft id of the counter's shape answered: the suite met ids that are not random.
    met: some((s) => /^drf_0{8}\d{8}$/.test(String(data(s)?.draft?.id ?? data(s)?.id ?? ''))),
  },
  'audit-keyset-seconds': {
    warns: [],
    // A page after a key whose events share that key's second: a read resumed among events of one second.
    met: some((s) => {
      const after = new URLSearchParams(s.path.split('?')[1] ?? '').get('cursor');
      return pathOnly(s) === `${ADMIN_BASE}/audit` && after !== null && (data(s)?.items ?? []).some((e: { created_at?: unknown }) => String(e.created_at).slice(0, 19) === after.slice(0, 19));
    }),
  },
  'audit-oldest-first-pages': {
    warns: [],
    // Past the fifth page of one read: a listing followed to its end, where this run's events are.
    met: some((s) => pathOnly(s) === `${ADMIN_BASE}/audit` && Number(new URLSearchParams(s.path.split('?')[1] ?? '').get('cursor')) >= 250),
  },
  'two-scopes-each': {
    warns: [],
    met: some((s) => s.path.endsWith('/manifest') && (data(s)?.tools ?? []).length > 0 && data(s).tools.every((x: { requiredScopes?: string[] }) => x.requiredScopes?.length === 2)),
  },
  // No check reaches these choices today (every window the suite opens has expires_at and lists its actions, no
  // preflightId is drafted from twice or executed without its preflightHash, no key is issued on a revoked
  // app); they stay so that a future check that does is held to them. test/runtime proves their behaviour.
  'window-expiry-required': { warns: [] },
  'preflight-id-single-use': { warns: [] },
  'absent-allowed-actions-none': { warns: [] },
  'preflight-id-needs-hash': { warns: [] },
  'revoked-app-issues-keys': { warns: [] },
};

/**
 * Variants left out of the no-failure runs because the suite raises a false alarm on them (reported to the
 * suite owners; move a variant back into CASES once its check is fixed).
 */
const KNOWN_FALSE_ALARMS: Partial<Record<VariantName, string>> = {};


function parse(text: string | undefined): any {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The runtime with every exchange recorded. */
function recorded(rt: Runtime, trace: Seen[]): Runtime {
  return {
    ...rt,
    async handle(req) {
      const res = await rt.handle(req);
      const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : Buffer.from(req.body).toString('utf8');
      trace.push({ method: req.method, path: req.path, headers: req.headers, body: parse(body), status: res.status, resHeaders: res.headers, json: parse(res.body) });
      return res;
    },
  };
}

const targets = { paged: '', unpaged: '' };

/**
 * The target file of a runtime: the chosen one, plus the runtime's own tool map when a variant maps tools to
 * scopes differently (a vendor describes their server's map; the shipped demo file describes the default).
 */
let described = 0;
function describedAs(rt: Runtime, file: string): string {
  const demo = shippedTarget('demo');
  const own = withToolScopes(demo, rt.tools ?? []);
  if (JSON.stringify(own) === JSON.stringify(demo)) return file;
  const out = `${file}.tool-map-${++described}.yaml`;
  writeFileSync(out, `${readFileSync(file, 'utf8')}tools: ${JSON.stringify(own.tools)}\nreads: ${JSON.stringify(own.reads)}\nwrites: ${JSON.stringify(own.writes)}\nfixed: {tools: true}\n`);
  return out;
}
/**
 * The target files of one test file's runs, made before its tests and removed after them. Registered by each
 * file that runs the matrix (not when this module loads: a worker keeps modules between files, so hooks at
 * module level would belong to the first file alone).
 */
function targetFiles(): void {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'openport-compat-'));
    // The runtime below admits 30 requests per (virtual) second.
    const rate = `extends: demo\nrateLimit: {limit: ${RATE.limit}, windowMs: ${RATE.windowMs}}\n`;
    targets.paged = join(dir, 'target.yaml');
    writeFileSync(targets.paged, rate);
    // Without pageSize: the listing is read page by page.
    const list = '{tool: transaction.list, query: {ledgerId: ledger_main}}';
    targets.unpaged = join(dir, 'target-unpaged.yaml');
    writeFileSync(targets.unpaged, `${rate}readBack: ${list.replace(/}$/, ', itemsField: items, idField: id}')}\nsensitiveRead: ${list}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
}

/** One exchange as the run's client saw it (the in-memory runs' trace). */
function seen(ex: Exchange): Seen {
  const { request: q, response: r } = ex;
  return { method: q.method, path: q.path, headers: q.headers, body: parse(q.body), status: r.status, resHeaders: r.headers, json: r.json };
}

/**
 * The whole profile against the runtime with these variants: in memory (the embedded run, which builds the
 * runtime itself), or served over loopback HTTP and recorded as the server saw each exchange.
 */
async function runWith(variants: VariantName[], over: 'memory' | 'http'): Promise<{ nonPass: Record<string, string>; trace: Seen[] }> {
  const trace: Seen[] = [];
  const target = variants.some((v) => CASES[v]?.unpaged) ? targets.unpaged : targets.paged;
  // A journal, as every run with a report file keeps one: the checks that judge every response read it back
  // once the in-memory sample has dropped some (re-reads of a late audit trail add up).
  const dir = mkdtempSync(join(tmpdir(), 'opc-variant-'));
  const common = { journal: { file: join(dir, 'exchanges.jsonl') }, safety: 'load', profile: 'state-witness', seed: 1 } as const;
  const closing: (() => Promise<void>)[] = [];
  try {
    let report: RunReport;
    if (over === 'memory') {
      // The runtime the run builds describes its own tool map; the target file gives the read-back route.
      const own = testRuntime({ variants });
      closing.push(() => own.close());
      report = await run({ ...common, variants, targetFile: describedAs(own, target), onExchange: (_, ex) => void trace.push(seen(ex)) });
    } else {
      // The runtime's limiter and the run share a virtual clock: the rate window is met by the run's own waits,
      // so a loaded machine (and these runs go several at once) cannot change a verdict.
      const clock = virtualClock();
      const rt = testRuntime({ rateLimit: RATE, variants, windowNow: clock.now });
      closing.push(() => rt.close());
      const server = await startHttpServer(recorded(rt, trace));
      closing.push(() => server.close());
      report = await run({ ...common, url: server.url, adminHeaders: rt.adminHeaders, token: rt.bootstrap.agentToken, windowClock: clock, targetFile: describedAs(rt, target) });
    }
    expect(report.summary.total).toBeGreaterThan(60);
    const nonPass = Object.fromEntries(verdictResults(report).filter((r) => r.status !== 'pass').map((r) => [r.id, `${r.status}: ${r.message ?? ''}`]));
    return { nonPass, trace };
  } finally {
    for (const close of closing.reverse()) await close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Non-pass results must be exactly the expected warnings (the messages show up in a failing diff). */
function expectOnlyWarns(nonPass: Record<string, string>, warns: string[]): void {
  expect(Object.keys(nonPass).sort(), JSON.stringify(nonPass, null, 1)).toEqual([...warns].sort());
  for (const id of warns) expect(nonPass[id]).toMatch(/^warn: /);
}

export function variantTable(): void {
  describe('the variant table', () => {
    it('every variant is either run below or listed as a known false alarm, and names what allows it', () => {
      for (const v of VARIANTS) {
        expect(v.name in CASES !== v.name in KNOWN_FALSE_ALARMS, v.name).toBe(true);
        expect(v.allowedBy.length, v.name).toBeGreaterThan(20);
      }
    });

    it('rejects unknown variant names', () => {
      expect(() => testRuntime({ variants: ['no-such-variant'] })).toThrow(/unknown variant no-such-variant; valid variants: authors-admin/);
    });
  });
}

/**
 * The matrix's shard `shard` of `of` (every of-th variant, starting at the shard's index); the last shard
 * also runs all of them at once. Each test file calls it once, with its own shard.
 */
export function variantMatrix(shard: number, of: number): void {
  const names = Object.keys(CASES) as VariantName[];
  const mine = names.filter((_, i) => i % of === shard);
  describe.concurrent(`the state-witness profile against each legitimate variant (shard ${shard + 1} of ${of})`, () => {
    targetFiles();
    it.each(mine)('%s: no fail, error or blocked; only its SHOULD warnings', async (name) => {
      const c = CASES[name]!;
      const { nonPass, trace } = await runWith([name], 'memory');
      expectOnlyWarns(nonPass, c.warns);
      if (c.met) expect(c.met(trace), `no request of the run met the ${name} choice`).toBe(true);
    }, 300_000);

    if (shard === of - 1) {
      it('all of them at once', async () => {
        const { nonPass } = await runWith(names, 'http');
        expectOnlyWarns(nonPass, [...new Set(names.flatMap((n) => CASES[n]!.warns))]);
      }, 300_000);
    }
  });
}
