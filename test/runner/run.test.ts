import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJournal } from '../../src/runner/journal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Finding } from '../../src/kit/check.js';
import type { RunEvent } from '../../src/runner/result.js';
import { run } from '../support/suite.js';
import { check, checkList, rejectionOf } from './fakes.js';

/** Minimal OpenPort-speaking server: envelopes everywhere, an admin plane that creates and revokes apps. */
function openportish(): Server {
  let n = 0;
  return createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      const url = req.url ?? '';
      if (url === '/healthz') return send(200, { ok: true, code: 'common.success', data: { status: 'ok' } });
      if (url.split('?')[0] === '/api/agent-admin/v1/apps' && req.method === 'GET') return send(200, { ok: true, code: 'common.success', data: { items: [] } });
      if (url.startsWith('/api/agent-admin/v1/apps') && req.method === 'POST') {
        if (url.endsWith('/revoke')) return send(200, { ok: true, code: 'common.success', data: { ok: true } });
        n++;
        return send(200, { ok: true, code: 'common.success', data: { app: { id: `app_${n}` }, key: { id: `key_${n}` }, token: `op_run_test_token_${n}_abcdef` } });
      }
      if (req.headers.authorization === 'Bearer op_good_token_0123456789') return send(200, { ok: true, code: 'common.success', data: { items: [] } });
      send(401, { ok: false, code: 'agent.token_invalid', message: 'Missing agent token' });
    });
  });
}

function htmlServer(): Server {
  return createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html>hello</html>');
  });
}

async function listen(s: Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

let op: Server, html: Server, opUrl: string, htmlUrl: string;
beforeAll(async () => {
  op = openportish();
  html = htmlServer();
  opUrl = await listen(op);
  htmlUrl = await listen(html);
});
afterAll(async () => {
  for (const s of [op, html]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('run against a URL', () => {
  it('runs, provisions, cleans up, and reports seed, held-back checks and verdict', async () => {
    const events: RunEvent[] = [];
    const checks = [
      check('AUTHN-001', async (ctx) => {
        const ex = await ctx.client().manifest();
        if (ex.response.status !== 401) throw new Finding('no 401', '401', String(ex.response.status), ex);
      }),
      check('AUTHN-002', async (ctx) => {
        const p = await ctx.persona({ name: 'x' });
        ctx.note(`persona ${p.appId}`);
      }, { needs: ['admin'] }),
      check('AUTHN-003', async (ctx) => {
        const ex = await ctx.agent.read('ledger.list');
        throw new Finding('demo finding', 'x', 'y', ex);
      }),
      check('AUTHN-004', () => undefined, { safety: 'execute' }),
      // Checks that cannot evaluate: errors, not findings.
      ...['AUTHN-005', 'AUTHN-006', 'AUTHN-007', 'AUTHN-008'].map((id) => check(id, () => { throw new TypeError('the tool broke'); })),
    ];
    const report = await run({
      url: opUrl,
      token: 'op_good_token_0123456789',
      adminHeaders: { 'x-admin-user': 'admin_demo' },
      checks: checkList(...checks),
      only: ['AUTHN-00?'],
      // A persona is a write through the admin plane: from --safety draft on.
      safety: 'draft',
      seed: 7,
      onEvent: (e) => events.push(e),
    });
    expect(report).toMatchObject({ profile: 'core', safety: 'draft', seed: 7, strict: false, target: { url: opUrl, embedded: false, faults: [] } });
    expect(report.heldBack).toEqual({ ids: ['AUTHN-004'], flag: '--safety execute' });
    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['AUTHN-001', 'pass'], ['AUTHN-002', 'pass'], ['AUTHN-003', 'fail'], ['AUTHN-005', 'error'], ['AUTHN-006', 'error'], ['AUTHN-007', 'error'], ['AUTHN-008', 'error'], ['AUTHN-009', 'pass'],
    ]);
    expect(report.results[2].reproduce).toBe(`curl -sS -X GET -H 'user-agent: openport-conform/${report.tool.version}' -H "authorization: Bearer \$OPENPORT_TOKEN" '${opUrl}/api/agent/v1/ledgers'`);
    // The key the run makes to read the description's claims with (from --safety draft on), and the persona.
    expect(report).toMatchObject({ verdict: 'not-conformant', exitCode: 1, cleanup: { revoked: ['app_1', 'app_2'], failed: [] } });
    expect(report.summary).toMatchObject({ pass: 3, fail: 1, error: 4, total: 8, heldBack: 1 });
    expect(events.map((e) => e.type)).toEqual(['start', ...Array(8).fill('result'), 'end']);
    expect(events[0]).toEqual({ type: 'start', total: 8, profile: 'core', target: opUrl });
    expect(JSON.stringify(report)).not.toContain('op_good_token_0123456789');
  });

  it('without a token, agent checks skip with the --token hint; zero checks run is incomplete (3)', async () => {
    const report = await run({ url: opUrl, checks: checkList(check('AUTHN-003', async (ctx) => void (await ctx.agent.read('ledger.list')))), only: ['AUTHN-003'], seed: 1 });
    expect(report.results[0]).toMatchObject({ status: 'skip', hint: expect.stringMatching(/^--token/) });
    expect(report).toMatchObject({ verdict: 'incomplete', exitCode: 3 });
  });

  it('--only that keeps the whole profile is the profile, not a selection; a subset is a selection', async () => {
    const checks = checkList();
    const whole = await run({ url: opUrl, checks, only: ['*'], seed: 1 });
    expect(whole.selection).toBeUndefined();
    const some = await run({ url: opUrl, checks, only: ['AUTHN-001'], seed: 1 });
    expect(some).toMatchObject({ verdict: 'selection-passed', exitCode: 0, selection: { only: ['AUTHN-001'], exclude: [], ids: ['AUTHN-001'] } });
  });

  it('refuses a target that does not speak OpenPort, in one line (exit 3)', async () => {
    const e = await rejectionOf(run({ url: htmlUrl }));
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe(`${htmlUrl} does not speak OpenPort agent/v1: GET /healthz answered HTTP 200 text/html; GET /api/agent/v1/manifest answered HTTP 200 text/html`);
  });

  it('judges a server whose envelopes lack `code` instead of declaring it "not OpenPort"', async () => {
    const s = createServer((req, res) => {
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, message: 'no token' }));
    });
    const url = await listen(s);
    try {
      const report = await run({ url, checks: checkList(check('AUTHN-001', async (ctx) => {
        const ex = await ctx.client().manifest();
        if ((ex.response.json as { code?: unknown }).code !== 'agent.token_invalid') throw new Finding('no code', 'agent.token_invalid', 'none', ex);
      })), only: ['AUTHN-001'], seed: 1 });
      expect(report).toMatchObject({ verdict: 'not-conformant', exitCode: 1 });
      // The finding as data, from the exchange: its status, no reason code (the body has none), its route.
      expect(report.results[0]!.finding).toMatchObject({ expected: { text: 'agent.token_invalid' }, actual: { status: 401, text: 'none' }, route: 'GET /api/agent/v1/manifest' });
      expect(report.results[0]!.finding!.actual.code).toBeUndefined();
    } finally {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  it('with admin headers and no token, provisions the agent token at draft safety (revoked at cleanup), never at read-only', async () => {
    const tokenCheck = () => checkList(check('AUTHN-003', async (ctx) => {
      const ex = await ctx.agent.manifest();
      ctx.note(`token ${String(ctx.agent.token).slice(0, 18)}`);
      if (ex.response.status !== 401) throw new Finding('the provisioned token was not the one sent', '401 from this fake', String(ex.response.status), ex);
    }));
    const admin = { 'x-admin-user': 'admin_demo' };
    const drafted = await run({ url: opUrl, adminHeaders: admin, checks: tokenCheck(), only: ['AUTHN-003'], safety: 'draft', seed: 1 });
    expect(drafted.results[0]).toMatchObject({ status: 'pass' });
    expect(drafted.results[0].actual).toContain('token op_run_test_tok');
    expect(drafted.cleanup.revoked).toHaveLength(1);
    expect(JSON.stringify(drafted)).not.toMatch(/op_run_test_token_\d+_abcdef/);
    const readOnly = await run({ url: opUrl, adminHeaders: admin, checks: tokenCheck(), only: ['AUTHN-003'], seed: 1 });
    expect(readOnly.results[0]).toMatchObject({ status: 'skip', message: 'needs an agent token' });
    expect(readOnly.results[0].hint).toContain('--safety draft');
    expect(readOnly.cleanup.revoked).toEqual([]);
  });

  it('reports an unreachable target (exit 3)', async () => {
    const s = createServer();
    const url = await listen(s);
    await new Promise((r) => s.close(r));
    const e = await rejectionOf(run({ url }));
    expect(e).toMatchObject({ exitCode: 3, code: 'OPC_E_UNREACHABLE', message: `cannot reach ${url}: ECONNREFUSED` });
    // The report of a run that stopped there carries the code, and its verdict is incomplete.
    const { unevaluatedReport } = await import('../../src/runner/unevaluated.js');
    const { reportVerdict } = await import('../../src/runner/verdict.js');
    const report = unevaluatedReport({ url, checks: [] }, e, new Date());
    expect(report).toMatchObject({ toolError: e.message, toolErrorCode: 'OPC_E_UNREACHABLE', verdict: 'incomplete', exitCode: 3 });
    expect(reportVerdict(report)).toMatchObject({ verdict: 'incomplete', exitCode: 3, reason: e.message });
  });

  it('refuses configuration errors with exit 2', async () => {
    expect(await rejectionOf(run({ url: opUrl, faults: ['env-stack-leak'] }))).toMatchObject({ exitCode: 2, code: 'OPC_E_CONFIG', message: expect.stringContaining('--fault applies only to the embedded runtime') });
    expect((await rejectionOf(run({ faults: ['env-stak-leak'] }))).message).toMatch(/unknown fault "env-stak-leak"; nearest: env-stack-leak/);
    expect((await rejectionOf(run({ url: opUrl, seed: -1 }))).exitCode).toBe(2);
    expect((await rejectionOf(run({ url: opUrl, concurrency: 0 }))).message).toMatch(/--concurrency must be a positive integer/);
    expect((await rejectionOf(run({ url: opUrl, profile: 'nope' }))).message).toMatch(/unknown profile "nope"/);
    expect((await rejectionOf(run({ url: opUrl, targetFile: '/nonexistent.yaml' }))).message).toMatch(/target file \/nonexistent\.yaml does not exist/);
  });
});

describe('findings cite the journal', () => {
  it('a finding names the exchanges it rests on by their journal sequence numbers; the first is the one the result shows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opc-cite-'));
    try {
      const file = join(dir, 'exchanges.jsonl');
      const report = await run({ faults: ['authn-revocation-cache'], only: ['AUTHN-004'], seed: 1, journal: { file } });
      const r = report.results.find((x) => x.id === 'AUTHN-004')!;
      expect(r.status).toBe('fail');
      const [seq] = r.finding!.exchanges;
      const entry = (await readJournal(file)).entries.find((e) => e.seq === seq)!;
      expect(entry.request).toMatchObject({ method: r.exchange!.request.method, path: r.exchange!.request.path });
      expect(entry.response!.status).toBe(r.exchange!.response.status);
      expect(r.finding).toMatchObject({ route: `${entry.request.method} ${entry.request.path.split('?')[0]}`, actual: { status: entry.response!.status, code: JSON.parse(entry.response!.body).code } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
