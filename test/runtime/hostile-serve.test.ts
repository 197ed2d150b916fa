// `serve` under hostile clients: refused authentications cannot flood the audit log, audit lines stay
// bounded, the audit file is private and rotated, and a page of another name cannot drive the loopback
// server (DNS rebinding) nor name the admin it acts as.
import { mkdtempSync, readFileSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog, AUDIT_TEXT_MAX, AUDIT_USER_AGENT_MAX } from '../../src/runtime/audit.js';
import { CREATE, harness } from './helpers.js';

const BAD = `op_${'A'.repeat(43)}`;

describe('serve under hostile clients', () => {
  it('refused authentications are limited per client IP: past the limit 429 with Retry-After, unaudited; other addresses and good tokens unaffected', async () => {
    const t = Date.parse('2026-01-01T00:00:00Z');
    const h = harness({ authFailureLimit: { limit: 3, windowMs: 60_000 }, now: () => t });
    const before = (await h.audit()).length;
    for (let i = 0; i < 3; i++) expect((await h.agent('GET', '/manifest', { token: BAD, ip: '10.0.0.9' })).status).toBe(401);
    const over = await h.agent('GET', '/manifest', { token: BAD, ip: '10.0.0.9' });
    expect(over.status).toBe(429);
    expect(over.json.code).toBe('agent.rate_limited');
    expect(Number(over.headers['retry-after'])).toBe(60);
    // Three refusals audited, the fourth not.
    expect((await h.audit()).length - before).toBe(3);
    expect((await h.agent('GET', '/manifest', { token: BAD, ip: '10.0.0.10' })).status).toBe(401);
    expect((await h.agent('GET', '/manifest', { ip: '10.0.0.9' })).status).toBe(200);
  });

  it('cuts the user agent and free text of an audit event to documented lengths', async () => {
    const h = harness();
    await h.agent('GET', '/ledgers', { headers: { 'user-agent': 'u'.repeat(15_000) } });
    const [read] = await h.audit(h.runtime.bootstrap.appId);
    expect(read.user_agent).toHaveLength(AUDIT_USER_AGENT_MAX);
    expect(read.user_agent.endsWith('…')).toBe(true);
    // Details carry text the runtime took from requests (names, notes, impacts): every string is cut.
    const log = new AuditLog(10, () => 'aud_1', () => '2026-01-01T00:00:00.000Z');
    const e = log.record({ action: 'agent.draft.reject', status: 'success', details: { note: 'n'.repeat(5000), nested: [{ ['k'.repeat(3000)]: 'v'.repeat(3000) }] } });
    const strings = JSON.stringify(e.details).match(/"[^"]*"/g)!.map((s) => s.length - 2);
    expect(Math.max(...strings)).toBe(AUDIT_TEXT_MAX);
  });

  it('creates the audit file 0600 and rotates it to <file>.1 at its size cap, losing no line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opc-audit-'));
    const file = join(dir, 'audit.jsonl');
    const h = harness({ auditFile: file, auditFileMaxBytes: 4096 });
    for (let i = 0; i < 40; i++) await h.agent('GET', '/ledgers', { headers: { 'x-request-id': `r-${i}` } });
    await h.runtime.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(statSync(`${file}.1`).size).toBeLessThan(4096 + 2048);
    const ids = new Set([file, `${file}.1`].flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).request_id)));
    // The newest lines are all on disk (older rotations are replaced by design).
    for (let i = 30; i < 40; i++) expect(ids.has(`r-${i}`)).toBe(true);
  });

  it('refuses a Host that is not loopback on both planes (DNS rebinding); loopback names pass', async () => {
    const h = harness();
    for (const host of ['evil.example', 'evil.example:8080', '127.0.0.1.evil.example']) {
      const agent = await h.agent('GET', '/manifest', { headers: { host } });
      const admin = await h.admin('GET', '/apps', undefined, { host });
      for (const r of [agent, admin]) {
        expect(r.status).toBe(403);
        expect(r.json.code).toBe('agent.policy_denied');
      }
    }
    for (const host of ['127.0.0.1:8080', 'localhost', '[::1]:1']) expect((await h.agent('GET', '/manifest', { headers: { host } })).status).toBe(200);
  });

  it('authors-admin: the x-admin-user header is the admin attributed, and only a plain id is accepted', async () => {
    const h = harness({ variants: ['authors-admin'] });
    const ok = await h.call('POST', '/api/agent-admin/v1/apps', { headers: { 'x-admin-user': 'alice' }, body: { scope: 'workspace', name: 'x' } });
    expect(ok.json.data.app.created_by).toBe('alice');
    for (const user of ['<script>alert(1)</script>', 'a b', 'x'.repeat(129)]) {
      const r = await h.call('POST', '/api/agent-admin/v1/apps', { headers: { 'x-admin-user': user }, body: { scope: 'workspace', name: 'x' } });
      expect(r.status).toBe(401);
    }
    // A write still works under the variant (sanity: CREATE goes through its own admin plane).
    expect((await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } })).status).toBe(200);
  });
});
