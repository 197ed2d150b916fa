// The checks judged over the MCP binding (docs/mcp-binding.md): embedded through the SDK's in-memory
// transport and over loopback against serve --mcp, both conformant; the kill matrix over MCP, with the pinned
// list of faults whose requirement is judged on the HTTP binding only.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckDef } from '../../src/kit/check.js';
import { mutate } from '../support/suite.js';
import { expectFullMcpCoverage } from '../support/mcp-coverage.js';
import { EMBEDDED_RATE_LIMIT, run, SAME_PROCESS_TIMEOUT_MS } from '../support/suite.js';
import { FAULTS, faultClauses, faultRequirements } from '../../src/runtime/faults/index.js';
import { createRuntime, startHttpServer } from '../../src/runtime/index.js';
import { SESSION_QUOTAS } from '../../src/runtime/mcp.js';
import { EMBEDDED_SESSION_QUOTAS } from '../../src/runner/run.js';
import { CHECKS } from '../../suites/index.js';
import { loadProfile } from '../../src/runner/profiles.js';
import { testRuntime } from '../runtime/helpers.js';

const PROFILE = new Set(loadProfile('state-witness').requirements.map((r) => r.id));

/** Checks of the HTTP binding itself (raw requests, headers, routes, methods, raw bodies, generated HTTP requests). */
const HTTP_ONLY_CHECKS = [
  'ABAC-006', 'AUTHN-007', 'ENV-002', 'ENV-003', 'ENV-004', 'ENV-006', 'ENV-007', 'ENV-008', 'ENV-009', 'ENV-010', 'ENV-011',
  'FUZZ-001', 'FUZZ-002', 'FUZZ-003', 'FUZZ-004', 'FUZZ-006', 'FUZZ-008',
];

/** Checks of the MCP binding's own rules (docs/mcp-binding.md): skipped on HTTP, outside its verdict. */
const MCP_ONLY_CHECKS = ['MCP-001', 'MCP-002', 'MCP-003', 'MCP-004', 'MCP-005', 'MCP-006', 'MCP-007', 'MCP-008', 'MCP-009', 'MCP-010'];

/**
 * The MCP front's faults, each with the requirements of the binding rule it breaks (those that must kill it):
 * R3 (a hidden tool refused with the HTTP binding's code) is judged by the checks that judge that code.
 */
const MCP_FRONT_FAULTS: Record<string, string | string[]> = {
  'mcp-no-annotations': 'MCP-001',
  'mcp-readonly-high-risk': 'MCP-001',
  'mcp-destructive-by-name': 'MCP-001',
  'mcp-action-override': 'MCP-002',
  'mcp-unknown-tool-internal': 'MCP-002',
  'mcp-hidden-tool-unknown': ['AUTHZ-001', 'AUDIT-002'],
  'mcp-session-any-token': 'MCP-003',
  'mcp-token-in-query': 'MCP-004',
  'mcp-no-bearer-challenge': 'MCP-004',
  'mcp-refusals-as-errors': 'MCP-005',
  'mcp-refusals-as-errors-but-validation': 'MCP-005',
  'mcp-refusal-text-without-issues': 'MCP-005',
  'mcp-no-host-check': 'MCP-006',
  'mcp-no-origin-check': 'MCP-007',
  'mcp-session-evicts-others': 'MCP-008',
  'mcp-messages-uncounted': 'MCP-009',
  'mcp-413-envelope': 'MCP-010',
  'mcp-invalid-params-internal': 'MCP-010',
  'mcp-message-prefixed': 'MCP-010',
  'mcp-parse-error-internal': 'MCP-010',
};

/**
 * Runtime faults that cannot be judged over MCP, with why: the clauses they break belong to the HTTP binding,
 * or only the HTTP-only checks above judge them, or the defect itself lies in reading HTTP requests.
 */
const NOT_APPLICABLE_TO_MCP: Record<string, string> = {
  'env-text-errors': 'ENV-004: Content-Type of HTTP error responses',
  'env-status-mismatch': 'ENV-003: HTTP status vs reason code (MCP has no status; E4)',
  'env-admin-unauth-500': 'ENV-007: the admin plane, which stays HTTP',
  'env-redirect-off-host': 'ENV-007: a redirect is an HTTP status, and the admin plane stays HTTP',
  'env-malformed-json-500': 'ENV-008: malformed HTTP bodies (an MCP client sends JSON-RPC)',
  'env-route-missing-manifest': 'ENV-001: a route of the HTTP binding (MCP calls tools)',
  'env-route-missing-preflight': 'ENV-001: a route of the HTTP binding (MCP calls tools)',
  'env-route-missing-actions': 'ENV-001: a route of the HTTP binding (MCP calls tools)',
  'env-route-missing-drafts': 'ENV-001: a route of the HTTP binding (MCP calls tools)',
  'env-route-missing-list-read': 'ENV-001: a route of the HTTP binding (MCP calls tools)',
  'env-route-missing-paged-read': 'ENV-001: a route of the HTTP binding (MCP calls tools)',
  'env-admin-missing-apps-list': 'ENV-009: a route of the admin plane, which stays HTTP',
  'env-admin-missing-apps-create': 'ENV-009: a route of the admin plane, which stays HTTP',
  'env-admin-missing-keys-create': 'ENV-009: a route of the admin plane, which stays HTTP',
  'env-admin-missing-apps-revoke': 'ENV-009: a route of the admin plane, which stays HTTP',
  'env-admin-missing-keys-revoke': 'ENV-009: a route of the admin plane, which stays HTTP',
  'env-admin-missing-policy': 'ENV-009: a route of the admin plane, which stays HTTP',
  'env-admin-missing-auto-execute': 'ENV-009: a route of the admin plane, which stays HTTP',
  'env-admin-missing-tools': 'ENV-009: a route of the admin plane, which stays HTTP',
  'env-admin-missing-drafts-list': 'ENV-009: a route of the admin plane, which stays HTTP',
  'env-admin-missing-drafts-get': 'ENV-009: a route of the admin plane, which stays HTTP',
  'env-admin-missing-approve': 'ENV-009: a route of the admin plane, which stays HTTP',
  'env-admin-missing-reject': 'ENV-009: a route of the admin plane, which stays HTTP',
  'env-admin-missing-audit': 'ENV-009: a route of the admin plane, which stays HTTP',
  'env-healthz-missing': 'ENV-009: a route of the admin plane, which stays HTTP',
  'env-success-ok-missing': 'ENV-002: a member of the HTTP envelope (MCP carries results in JSON-RPC)',
  'env-success-code-other': 'ENV-002: a member of the HTTP envelope (MCP carries results in JSON-RPC)',
  'env-success-data-renamed': 'ENV-002: a member of the HTTP envelope (MCP carries results in JSON-RPC)',
  'env-failure-ok-missing': 'ENV-002: a member of the HTTP envelope (MCP carries results in JSON-RPC)',
  'env-failure-code-missing': 'ENV-002: a member of the HTTP envelope (MCP carries results in JSON-RPC)',
  'env-failure-message-missing': 'ENV-002: a member of the HTTP envelope (MCP carries results in JSON-RPC)',
  'env-success-text-plain': 'ENV-004: Content-Type of HTTP success responses',
  'env-validation-issue-no-code': 'ENV-006: validation failures of raw HTTP requests',
  'env-validation-issue-no-path': 'ENV-006: validation failures of raw HTTP requests',
  'env-validation-issue-no-message': 'ENV-006: validation failures of raw HTTP requests',
  'env-validation-other-code': 'ENV-006: validation failures of raw HTTP requests',
  'env-validation-no-issues': 'ENV-006: validation failures of raw HTTP requests',
  'env-query-validation-no-issues': 'ENV-006: validation failures of raw HTTP requests',
  'env-parse-error-no-issues': 'ENV-008: raw HTTP bodies that are not JSON',
  'env-status-token-invalid': 'AUTHN-001: the HTTP status of agent.token_invalid (clause ENV.status.token_invalid is HTTP-only)',
  'env-status-token-expired': 'AUTHN-005: the HTTP status of agent.token_expired (clause ENV.status.token_expired is HTTP-only)',
  'env-status-forbidden': 'ENV-003: the HTTP status of agent.forbidden (clause ENV.status.forbidden is HTTP-only)',
  'env-status-rate-limited': 'ADM-001: the HTTP status of agent.rate_limited (clause ENV.status.rate_limited is HTTP-only)',
  'env-status-action-unknown': 'DISC-004: the HTTP status of agent.action_unknown (clause ENV.status.action_unknown is HTTP-only)',
  'env-status-action-invalid': 'ABAC-004: the HTTP status of agent.action_invalid (clause ENV.status.action_invalid is HTTP-only)',
  'env-status-not-found': 'ENV-003: the HTTP status of agent.not_found (clause ENV.status.not_found is HTTP-only)',
  'env-status-draft-not-found': 'WRITE-005: the HTTP status of agent.draft_not_found (clause ENV.status.draft_not_found is HTTP-only)',
  'env-status-draft-already-final': 'WRITE-004: the HTTP status of agent.draft_already_final (clause ENV.status.draft_already_final is HTTP-only)',
  'env-status-preflight-not-found': 'PREFLIGHT-005: the HTTP status of agent.preflight_not_found (clause ENV.status.preflight_not_found is HTTP-only)',
  'env-status-precondition-failed': 'WITNESS-002: the HTTP status of agent.precondition_failed (clause ENV.status.precondition_failed is HTTP-only)',
  'env-status-idempotency-mismatch': 'IDEM-005: the HTTP status of agent.idempotency_mismatch (clause ENV.status.idempotency_mismatch is HTTP-only)',
  'authn-token-in-query': 'AUTHN-007: credentials outside the Authorization header of HTTP requests',
  'authn-revoked-odd-scheme': 'FUZZ-007: how the scheme of an HTTP Authorization header is spelt',
  'abac-trust-forwarded-for': 'ABAC-006: X-Forwarded-For and similar HTTP headers',
  'tenant-trust-header-on-writes': 'TENANT-002: a tenant header on raw HTTP preflights',
  'abac-ip-skipped-on-existing-draft': 'ABAC-001: an existing draft polled over HTTP from outside the allowlist (over MCP a call reaches a route only through a session opened for a key inside its allowlist)',
  'abac-ip-skipped-with-preflight-id': 'ABAC-001: a raw HTTP action naming a preflightId from outside the allowlist (over MCP a call reaches a route only through a session opened for a key inside its allowlist)',
  'authn-expiry-skipped-with-preflight-id': 'AUTHN-005: an expired key on a raw HTTP action naming a preflightId (over MCP a call reaches a route only through a session opened for an unexpired key)',
  'authn-expiry-skipped-with-page': 'AUTHN-005: an expired key on an HTTP read naming a page (over MCP a call reaches a route only through a session opened for an unexpired key)',
  'authn-network-before-expiry': 'AUTHN-005: an expired key from outside its allowlist on HTTP routes (over MCP a call reaches a route only through a session opened for an admitted key)',
  'adm-limit-skipped-with-request-id': 'ADM-001: the X-Request-Id header of HTTP requests past the limit',
  'tenant-trust-body-org': 'TENANT-002: a tenant member beside action and payload in raw HTTP bodies',
  'adm-no-retry-after': 'ADM-003: the Retry-After header of an HTTP 429 (clause ADM.refused.retry-after is HTTP-only)',
  'fuzz-crash-deep-nesting': 'FUZZ-001: generated raw HTTP requests',
  'fuzz-crash-object-id': 'FUZZ-001: raw HTTP preflights with a payload field of the wrong kind',
  'fuzz-crash-non-object-body': 'ENV-008: raw HTTP bodies that are JSON but not an object',
  'fuzz-4xx-without-message': 'ENV-002: the envelopes of HTTP 4xx responses (clauses FUZZ.stable-4xx.* are HTTP-only)',
  'fuzz-repeated-query-crash': 'FUZZ-001: generated HTTP query strings on the agent plane',
  'fuzz-admin-query-crash': 'FUZZ-001: generated HTTP query strings on the admin plane',
  'fuzz-auth-header-crash': 'FUZZ-001: generated HTTP Authorization headers',
  'autoexec-refusal-not-200': 'AUTOEXEC-001: the HTTP status of an auto-execute refusal (clause AUTOEXEC.refusal.http-200 is HTTP-only)',
  'fuzz-too-deep-200': 'FUZZ-002: the envelopes of HTTP responses to generated bodies (clause FUZZ.stable-4xx.agent is HTTP-only)',
  'env-page-size-unbounded': 'ENV-006: the paging of HTTP reads (clause ENV.page.size-max is HTTP-only)',
  'env-page-has-more-false': 'ENV-006: the paging of HTTP reads (clause ENV.page.has-more is HTTP-only)',
  'idem-key-other-member': 'IDEM-002: the body member that carries the idempotency key (clause IDEM.key.body-field is HTTP-only)',
};

describe('run --binding mcp', () => {
  it('declares exactly the pinned checks HTTP-only, and the MCP binding\'s own checks MCP-only', () => {
    expect(CHECKS.filter((c) => c.bindings && !c.bindings.includes('mcp')).map((c) => c.id).sort()).toEqual(HTTP_ONLY_CHECKS);
    expect(CHECKS.filter((c) => c.bindings && !c.bindings.includes('http')).map((c) => c.id).sort()).toEqual(MCP_ONLY_CHECKS);
  });

  it('over HTTP the MCP checks are skipped with the reason, outside the verdict', async () => {
    const report = await run({ profile: 'core', only: [...MCP_ONLY_CHECKS, 'DISC-001'], seed: 3 });
    expect(report.binding).toMatchObject({ name: 'http', notApplicable: MCP_ONLY_CHECKS });
    for (const r of report.results.filter((x) => x.id.startsWith('MCP-'))) expect(r).toMatchObject({ status: 'skip', message: expect.stringMatching(/does not apply to the HTTP binding/) });
    expect(report.verdict).toBe('selection-passed');
  }, 60_000);

  it('embedded (in-memory MCP): the clean runtime is conformant on state-witness; HTTP-only checks are skipped with the reason, outside the verdict', async () => {
    const report = await run({ binding: 'mcp', profile: 'state-witness', seed: 3 });
    expect(report.verdict).toBe('conformant');
    expect(report.binding).toMatchObject({ name: 'mcp', endpoint: 'embedded:/mcp' });
    // The binding's own rules ran (embedded, against the runtime's MCP front served on loopback) and passed.
    for (const id of MCP_ONLY_CHECKS) expect(report.results.find((r) => r.id === id)?.status, id).toBe('pass');
    // The embedded front's body cap is known: MCP-010 sent its oversized body too (a full pass).
    expect(report.results.find((r) => r.id === 'MCP-010')?.partial).toBeUndefined();
    expect([...report.binding!.notApplicable].sort()).toEqual(HTTP_ONLY_CHECKS);
    for (const r of report.results) {
      if (HTTP_ONLY_CHECKS.includes(r.id)) expect(r).toMatchObject({ status: 'skip', message: expect.stringMatching(/does not apply to the MCP binding/) });
      else expect(r.status, `${r.id}: ${r.message}`).toBe('pass');
    }
    expect(report.summary.pass).toBeGreaterThan(50);
  }, 120_000);

  it('over loopback against serve --mcp: conformant on state-witness', async () => {
    // A 10 s rate window, declared in the target file: the rate-limit checks get their 429 even when this
    // machine sends their burst ten times slower than a 1 s window would need, and the long bursts over MCP
    // stay short (the server's default, 240 a minute, makes them several hundred tool calls).
    const rateLimit = { limit: 60, windowMs: 10_000 };
    const rt = createRuntime({ rateLimit });
    const server = await startHttpServer(rt, { mcp: true });
    const dir = mkdtempSync(join(tmpdir(), 'opc-mcp-'));
    const targetFile = join(dir, 'target.yaml');
    writeFileSync(targetFile, `extends: demo\nrateLimit: { limit: ${rateLimit.limit}, windowMs: ${rateLimit.windowMs} }\n`);
    try {
      const report = await run({ url: server.url, binding: 'mcp', targetFile, token: rt.bootstrap.agentToken, adminHeaders: rt.adminHeaders, profile: 'state-witness', safety: 'load', seed: 3, timeoutMs: SAME_PROCESS_TIMEOUT_MS });
      const bad = report.results.filter((r) => r.status !== 'pass' && r.status !== 'skip').map((r) => `${r.id} ${r.status}: ${r.message}`);
      expect(bad).toEqual([]);
      expect(report.verdict).toBe('conformant');
      expect(report.binding?.endpoint).toBe(`${server.url}/mcp`);
      // The demo description declares no session quota: MCP-008 opened its default bound, never refused, and says so.
      expect(report.results.find((r) => r.id === 'MCP-008')).toMatchObject({ status: 'pass', partial: [expect.stringMatching(/^passed up to 64 sessions of another tenant/)] });
      // Nor its body cap: MCP-010 sent no oversized body, and says so.
      expect(report.results.find((r) => r.id === 'MCP-010')).toMatchObject({ status: 'pass', partial: [expect.stringMatching(/body cap is not declared/)] });
    } finally {
      await server.close();
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('MCP-010 over loopback: a declared body cap is judged (413 as JSON-RPC -32600), and the HTTP envelope there fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opc-mcp010-'));
    const targetFile = join(dir, 'target.yaml');
    writeFileSync(targetFile, 'extends: demo\nbodyLimitBytes: 2048\n');
    try {
      for (const [faults, status] of [[[], 'pass'], [['mcp-413-envelope'], 'fail']] as const) {
        const rt = testRuntime({ faults });
        const server = await startHttpServer(rt, { mcp: true, bodyLimitBytes: 2048 });
        try {
          const report = await run({ url: server.url, binding: 'mcp', targetFile, token: rt.bootstrap.agentToken, adminHeaders: rt.adminHeaders, only: ['MCP-010'], seed: 3, timeoutMs: SAME_PROCESS_TIMEOUT_MS });
          const r = report.results.find((x) => x.id === 'MCP-010')!;
          expect(r.status, `${faults.join()}: ${r.message}`).toBe(status);
          if (status === 'pass') expect(r.partial).toBeUndefined();
          else expect(r.message).toMatch(/a body over the server's cap \(\d+ bytes, cap 2048\)/);
        } finally {
          await server.close();
          await rt.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a wrong --mcp-path is a usage error; a path with no MCP server cannot be evaluated, said once before any check', async () => {
    await expect(run({ binding: 'mcp', mcpPath: '/mcp' })).rejects.toMatchObject({ exitCode: 2 });
    await expect(run({ url: 'http://127.0.0.1:9', mcpPath: '/mcp' })).rejects.toMatchObject({ exitCode: 2 });
    const rt = createRuntime();
    const server = await startHttpServer(rt); // no --mcp: /mcp is the HTTP binding's 404
    try {
      // One tool error for the run (exit 3), not one error per check.
      await expect(run({ url: server.url, binding: 'mcp', token: rt.bootstrap.agentToken, adminHeaders: rt.adminHeaders, safety: 'load', seed: 3 }))
        .rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/^no MCP server at http:\/\/127\.0\.0\.1:\d+\/mcp: initialize answered HTTP 404/) });
      // Nothing listening: the cause in the HTTP binding's words, never fetch's "fetch failed".
      const closed = await startHttpServer(rt);
      await closed.close();
      await expect(run({ url: closed.url, binding: 'mcp', token: rt.bootstrap.agentToken, seed: 3 }))
        .rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/^cannot open an MCP session at http:\/\/127\.0\.0\.1:\d+\/mcp: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED$/) });
    } finally {
      await server.close();
      await rt.close();
    }
  }, 60_000);

  it('a tools/list that breaks MCP\'s schema is said once, on one line, before any check (exit 3), never a crash', async () => {
    const rt = createRuntime();
    const server = await startHttpServer(rt, { host: '127.0.0.1', port: 0, mcp: true });
    const { createServer, request } = await import('node:http');
    const up = new URL(server.url);
    // Passes everything through, adding a tool without inputSchema to every tools/list answer.
    const proxy = createServer((req, res) => {
      const body: Buffer[] = [];
      req.on('data', (c: Buffer) => body.push(c)).on('end', () => {
        const r = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
          const out: Buffer[] = [];
          ur.on('data', (c: Buffer) => out.push(c)).on('end', () => {
            let text = Buffer.concat(out).toString('utf8');
            try {
              const j = JSON.parse(text) as { result?: { tools?: unknown[] } };
              if (Array.isArray(j.result?.tools)) j.result!.tools!.push({ name: 'broken.tool' });
              text = JSON.stringify(j);
            } catch {
              // not JSON: as it came
            }
            const { 'content-length': _l, 'transfer-encoding': _t, ...headers } = ur.headers;
            res.writeHead(ur.statusCode ?? 502, headers).end(text);
          });
        });
        r.end(Buffer.concat(body));
      });
    });
    await new Promise<void>((ok) => proxy.listen(0, '127.0.0.1', ok));
    try {
      const url = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
      await expect(run({ url, binding: 'mcp', token: rt.bootstrap.agentToken, adminHeaders: rt.adminHeaders, safety: 'load', seed: 3 }))
        .rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/mcp: tools\/list is not a valid MCP message: tools\.\d+\.inputSchema: [^\n]+$/) });
    } finally {
      proxy.close();
      await server.close();
      await rt.close();
    }
  }, 60_000);

  it("MCP-001's finding names each tool without annotations (not a list of nulls)", async () => {
    const report = await run({ binding: 'mcp', faults: ['mcp-no-annotations'], only: ['MCP-001'], seed: 1 });
    const r = report.results.find((x) => x.id === 'MCP-001')!;
    expect(r.status).toBe('fail');
    expect(r.finding!.actual.text).toMatch(/^ledger\.list: no annotations; and transaction\.list: no annotations; /);
    expect(r.finding!.actual.text).not.toContain('null');
  });

  it('a check that sends raw HTTP without declaring it is an error on MCP, never a silent pass', async () => {
    const base = CHECKS.find((c) => c.id === 'DISC-001')!;
    const raw: CheckDef = { ...base, run: async (ctx) => void (await ctx.agent.request({ method: 'GET', path: '/healthz' })) };
    const report = await run({ binding: 'mcp', checks: CHECKS.map((c) => (c.id === raw.id ? raw : c)), only: ['DISC-001'], seed: 3 });
    expect(report.results[0]).toMatchObject({ id: 'DISC-001', status: 'error', message: expect.stringMatching(/bindings: \['http'\]/) });
    const declared = await run({ binding: 'mcp', checks: CHECKS.map((c) => (c.id === raw.id ? { ...raw, bindings: ['http'] } : c)), only: ['DISC-001'], seed: 3 });
    expect(declared.results[0]).toMatchObject({ status: 'skip' });
    expect(declared.binding?.notApplicable).toEqual(['DISC-001']);
  }, 60_000);
});

describe('docs/mcp-binding.md', () => {
  it("states the reference runtime's session quotas as the code sets them, in rule T7 and in MCP-008's row", () => {
    const doc = readFileSync(new URL('../../docs/mcp-binding.md', import.meta.url), 'utf8');
    const n = (x: number) => String(x).replace(/\B(?=(\d{3})+$)/g, ' ');
    const q = SESSION_QUOTAS;
    const e = EMBEDDED_SESSION_QUOTAS;
    for (const row of ['| MCP-008 |', '| T7 |']) {
      const line = doc.split('\n').find((l) => l.startsWith(row))!;
      expect(line, row).toContain(`keeps at most ${n(q.perKey)} sessions per key`);
      expect(line, row).toContain(`${n(q.perTenant)} per tenant`);
      expect(line, row).toContain(`${n(q.total)} in all (embedded runs: ${e.perKey}, ${e.perTenant} and ${e.total})`);
    }
  });

  it("groups exactly the faults pinned as not judged over MCP, and the HTTP-only checks' table names exactly the pinned checks", () => {
    const doc = readFileSync(new URL('../../docs/mcp-binding.md', import.meta.url), 'utf8');
    const table = (header: string) => doc.slice(doc.indexOf(header)).split('\n').slice(2).filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('|')));
    // Fault names and globs in backticks in the first column of the fault table.
    // A "(but `x`)" in a cell names an exception to its globs, not a member of the group.
    const globs = table('| faults | why not over MCP |').flatMap((row) => [...row.split('|')[1]!.replace(/\(but [^)]*\)/g, '').matchAll(/`([a-z0-9*-]+)`/g)].map((m) => m[1]!));
    const matches = (glob: string, name: string) => new RegExp(`^${glob.replace(/\*/g, '.*')}$`).test(name);
    const pinned = Object.keys(NOT_APPLICABLE_TO_MCP);
    for (const f of pinned) expect(globs.some((g) => matches(g, f)), f).toBe(true);
    for (const g of globs) expect(pinned.some((f) => matches(g, f)), g).toBe(true);
    // No fault judged over MCP is swept into a group.
    for (const f of FAULTS.map((x) => x.name).filter((n) => !pinned.includes(n))) expect(globs.some((g) => matches(g, f)), f).toBe(false);
    // The check table: ids and ranges (A-00x … A-00y) in its first column.
    const ids = table('| check | why it judges HTTP only |').flatMap((row) => {
      const cell = row.split('|')[1]!;
      return cell.split(',').flatMap((part) => {
        const range = /([A-Z]+)-(\d{3}) … [A-Z]+-(\d{3})/.exec(part);
        if (!range) return [part.trim()];
        return Array.from({ length: Number(range[3]) - Number(range[2]) + 1 }, (_, i) => `${range[1]}-${String(Number(range[2]) + i).padStart(3, '0')}`);
      });
    });
    expect([...new Set(ids)].sort()).toEqual(HTTP_ONLY_CHECKS);
  });
});

describe('mutate --binding mcp', () => {
  it('kills every fault whose clauses can be judged over MCP; the others are exactly the pinned list', async () => {
    const report = await mutate({ binding: 'mcp', profile: 'state-witness', seed: 7, parallel: 4 });
    expect(report.clean).toMatchObject({ verdict: 'conformant', failed: [], errored: [] });
    const notApplicable = report.mutants.filter((m) => !m.applies).map((m) => m.fault).sort();
    expect(notApplicable).toEqual(Object.keys(NOT_APPLICABLE_TO_MCP).sort());
    for (const m of report.mutants.filter((x) => x.applies)) expect(m.killed, `${m.fault}: ${m.requirements.join(', ')}`).toBe(true);
    // Each fault of the MCP front is killed by a finding of its own binding requirement.
    const front = report.mutants.filter((m) => m.fault.startsWith('mcp-'));
    expect(Object.fromEntries(front.map((m) => [m.fault, m.failed]))).toEqual(Object.fromEntries(Object.entries(MCP_FRONT_FAULTS).map(([f, ids]) => [f, [ids].flat()])));
    expect(report.score).toEqual({ killed: FAULTS.length - notApplicable.length, total: FAULTS.length - notApplicable.length, notApplicable: notApplicable.length });
    expect(report.ok).toBe(true);
    // The demo domain's clause coverage over MCP (test/selftest/mutate.test.ts pins the helpdesk domain's).
    expectFullMcpCoverage(report);
    // Each reason names a requirement of the fault's clauses; and the fault is HTTP-only by one of the three ways.
    for (const [fault, why] of Object.entries(NOT_APPLICABLE_TO_MCP)) {
      const f = FAULTS.find((x) => x.name === fault)!;
      expect(faultRequirements(f), fault).toContain(why.split(':')[0]);
      const httpClauses = faultClauses(f).every((c) => c.bindings?.includes('http'));
      const httpChecks = faultRequirements(f).filter((id) => PROFILE.has(id)).every((id) => HTTP_ONLY_CHECKS.includes(id));
      const httpDefect = 'bindings' in f && f.bindings.includes('http');
      expect(httpClauses || httpChecks || httpDefect, fault).toBe(true);
    }
  }, 240_000);
});
