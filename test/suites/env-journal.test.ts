// ENV-002..005 judge every response of a run. Once the bounded in-memory sample has dropped some, they read
// the run's journal back (redacted, with the echoes it counted) — proven both ways — and without a
// complete journal they are an error, never a pass on part of the traffic.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContext, type RunEnv } from '../../src/runner/context.js';
import { Journal, readJournal } from '../../src/runner/journal.js';
import { PersonaRegistry } from '../../src/runner/personas.js';
import { SecretMatcher } from '../../src/protocol/redact.js';
import { runChecks } from '../../src/runner/runner.js';
import { resolveSelection } from '../../src/runner/selection.js';
import { shippedTarget } from '../../src/runner/target-file.js';
const DEMO_TARGET = shippedTarget('demo');
import { InProcessTransport } from '../../src/runner/transport.js';
import { inMemoryBinding } from '../../src/runner/mcp-client.js';
import { createRuntime } from '../../src/runtime/index.js';
import type { RuntimeResponse } from '../../src/runtime/types.js';
import { AGENT_BASE } from '../../src/protocol/types.js';
import { testRuntime } from '../runtime/helpers.js';
import { CHECKS } from '../../suites/index.js';

const dir = mkdtempSync(join(tmpdir(), 'opc-env-journal-'));
const IDS = ['ENV-002', 'ENV-003', 'ENV-004', 'ENV-005'];
let runs = 0;

/** Marks the manifests sent as bulk traffic before the checks, so a test can change their answers. */
const BULK_PROBE = 'x-test-bulk';

async function judge(opts: { faults?: string[]; journal: boolean; maxBytes?: number; bulk?: (res: RuntimeResponse) => RuntimeResponse; mcp?: boolean; ids?: string[] }) {
  // Each check sends its own battery here (the sample never holds the last one): room for that.
  const runtime = testRuntime({ faults: opts.faults ?? [], rateLimit: { limit: 1000, windowMs: 1000 } });
  const handle = runtime.handle.bind(runtime);
  runtime.handle = async (req) => (req.headers[BULK_PROBE] && opts.bulk ? opts.bulk(await handle(req)) : handle(req));
  // The env's secrets join this matcher when its first check starts, before anything is sent.
  const secrets = new SecretMatcher();
  const journal = new Journal(opts.journal ? join(dir, `run-${++runs}.jsonl`) : undefined, { target: 'embedded:', maxBytes: opts.maxBytes, secrets });
  // A sample of 3 exchanges: every final check has to look past it.
  const transport = new InProcessTransport(runtime, { journal, sample: { count: 3, bytes: 1 << 30 } });
  // Over MCP the agent plane's calls are journaled as they went (the JSON-RPC messages) and kept in the same sample.
  const binding = opts.mcp ? inMemoryBinding(runtime, 10_000, (w) => void journal.appendMcp(w)) : undefined;
  const env: RunEnv = { secrets, transport, target: structuredClone(DEMO_TARGET), token: runtime.bootstrap.agentToken, adminHeaders: runtime.adminHeaders, seed: 7, registry: new PersonaRegistry(), fuzz: { runs: 1, timeMs: 100 }, journal, ...(binding ? { binding } : {}) };
  if (opts.bulk) {
    // Bulk traffic of an earlier check: the journal keeps a sample of each success envelope.
    const { ctx } = createContext({ id: 'BULK', safety: 'read-only', needs: [], description: 'bulk manifests', run: async () => undefined }, env, new AbortController().signal);
    for (let i = 0; i < 5; i++) await ctx.bulk(() => ctx.agent.request({ method: 'GET', path: `${AGENT_BASE}/manifest`, headers: { [BULK_PROBE]: '1' } }));
  }
  // ENV-002..004 judge the HTTP binding only: over MCP, ENV-005 alone.
  const sel = resolveSelection({ profile: 'core', embedded: true, only: opts.mcp ? ['ENV-005'] : (opts.ids ?? IDS), checks: CHECKS });
  const results = await runChecks(sel, { env, concurrency: 1 });
  await binding?.close();
  await transport.close();
  journal.close();
  const elided = opts.journal ? (await readJournal(journal.summary().file!)).entries.filter((e) => e.response?.elided).length : 0;
  return Object.assign(Object.fromEntries(results.map((r) => [r.id, r])), { token: runtime.bootstrap.agentToken, elided });
}

describe('final ENV checks past the in-memory sample', () => {
  it('read the journal back: the clean runtime passes all four', async () => {
    const r = await judge({ journal: true });
    for (const id of IDS) {
      expect(r[id]!.status, `${id}: ${r[id]!.message}`).toBe('pass');
      expect(r[id]!.actual).toMatch(/read back from the journal/);
    }
  });

  it('an echoed token is still caught from the redacted journal (ENV-005 fails, the token not shown)', async () => {
    const r = await judge({ journal: true, faults: ['fuzz-echo-token'] });
    expect(r['ENV-005']!.status).toBe('fail');
    expect(r['ENV-005']!.message).toMatch(/credential\(s\) echoed in the body/);
    expect(JSON.stringify(r['ENV-005'])).not.toContain(r.token);
  });

  it('over MCP, ENV-005 reads the JSON-RPC answers back: the clean runtime passes, a stack trace in an isError result fails', async () => {
    const clean = await judge({ journal: true, mcp: true });
    expect(clean['ENV-005']!.status, clean['ENV-005']!.message).toBe('pass');
    expect(clean['ENV-005']!.actual).toMatch(/read back from the journal/);
    const leaking = await judge({ journal: true, mcp: true, faults: ['env-stack-leak'] });
    expect(leaking['ENV-005']!.status).toBe('fail');
    expect(leaking['ENV-005']!.message).toMatch(/leak internals or secrets.*: POST \/mcp: leaks stack trace/);
  });

  it('without a journal, or with a cut one, they are an error: evidence incomplete', async () => {
    for (const opts of [{ journal: false }, { journal: true, maxBytes: 4096 }]) {
      const r = await judge(opts);
      for (const id of IDS) {
        expect(r[id]!.status, id).toBe('error');
        expect(r[id]!.message).toMatch(/^evidence incomplete: \d+ exchange\(s\)/);
      }
    }
  });

  it('ENV-010 judges the status of a sampled bulk body and says its shape was not judged (a partial pass)', async () => {
    const whole = await judge({ journal: true, ids: ['ENV-010'] });
    expect(whole['ENV-010']!.status).toBe('pass');
    expect(whole['ENV-010']!.partial).toBeUndefined();
    const sampled = await judge({ journal: true, bulk: (res) => res, ids: ['ENV-010'] });
    expect(sampled.elided).toBe(5);
    expect(sampled['ENV-010']!.status).toBe('pass');
    expect(sampled['ENV-010']!.partial).toEqual([expect.stringMatching(/^5 success bodies of bulk traffic were read back from the journal as a sample: their status was judged, not their shape/)]);
  });

  it('judge bulk traffic the journal kept as samples: a clean run passes, a wrong status or content type still fails', async () => {
    const clean = await judge({ journal: true, bulk: (res) => res });
    expect(clean.elided).toBe(5);
    for (const id of IDS) expect(clean[id]!.status, `${id}: ${clean[id]!.message}`).toBe('pass');
    // Status and headers stay in an elided entry: what ENV-003 and ENV-004 judge.
    const created = await judge({ journal: true, bulk: (res) => ({ ...res, status: 201 }) });
    expect(created.elided).toBe(5);
    expect(created['ENV-003']!.status).toBe('fail');
    expect(created['ENV-003']!.message).toMatch(/5 of \d+ responses carry an HTTP status.*manifest: success envelope with HTTP 201/);
    const text = await judge({ journal: true, bulk: (res) => ({ ...res, headers: { ...res.headers, 'content-type': 'text/plain' } }) });
    expect(text['ENV-004']!.status).toBe('fail');
    expect(text['ENV-004']!.message).toMatch(/5 of \d+ responses are not served as application\/json/);
    // A body that is no envelope is never elided: ENV-002 reads it whole.
    const bare = await judge({ journal: true, bulk: (res) => ({ ...res, body: JSON.stringify({ ok: true, manifest: JSON.parse(res.body).data }) }) });
    expect(bare.elided).toBe(0);
    expect(bare['ENV-002']!.status).toBe('fail');
    expect(bare['ENV-002']!.message).toMatch(/5 of \d+ responses are not well-formed envelopes/);
  });
});
