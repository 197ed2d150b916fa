// Certification against a server over HTTP (loopback `serve`): what a bundle of a server proves, what a
// replay re-checks, and what a customer with only an agent token can re-check. Each certify and replay
// gets an agent key of its own: the server's rate limit counts per key, and a key shared between runs
// would spend one run's share on another.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILES, type BundleManifest } from '../../src/evidence/bundle.js';
import { exchangeOfEntry } from '../../src/evidence/har.js';
import { replayBundle } from '../../src/evidence/replay.js';
import { verifyBundle } from '../../src/evidence/verify.js';
import { RESPONSE_RULES } from '../../src/kit/response-rules.js';
import { statusesFor } from '../../src/protocol/codes.js';
import { CHECKS } from '../../suites/index.js';
import { cli, startServe, type Served } from '../support/cli.js';
import { forge, passed } from './forge.js';

let work: string;
let clean: Served;
let faulted: Served;
const bundles = { first: '', second: '', faulted: '' };
const forgerKey = () => readFileSync(join(work, 'forger', 'openport-signing.pem'), 'utf8');
const forgerPub = () => readFileSync(join(work, 'forger', 'openport-signing.pub.pem'), 'utf8');

/** A fresh agent key of the serve's demo app. */
async function mintToken(s: Served): Promise<string> {
  const res = await fetch(`${s.url}/api/agent-admin/v1/apps/${s.appId}/keys`, { method: 'POST', headers: { ...s.adminHeaders, 'content-type': 'application/json' }, body: '{}' });
  return ((await res.json()) as { data: { token: string } }).data.token;
}

const admin = (s: Served) => `authorization: ${s.adminHeaders.authorization}`;

async function certify(s: Served, out: string, seed: string): Promise<void> {
  const r = await cli(['certify', s.url, '--admin-header', admin(s), '--seed', seed, '--out', out], { env: { OPENPORT_CONFORM_TOKEN: await mintToken(s) } });
  // Read-only (a URL's default safety) holds the writing checks back: incomplete, or not conformant with a fault.
  expect([1, 3], r.stderr + r.stdout).toContain(r.code);
}

const fingerprint = (dir: string) => (JSON.parse(readFileSync(join(dir, FILES.manifest), 'utf8')) as BundleManifest).target.fingerprint;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'opc-trust-'));
  expect((await cli(['keygen', '--out', join(work, 'forger')])).code).toBe(0);
  [clean, faulted] = await Promise.all([startServe(), startServe(['--fault', 'env-status-draft-not-found', '--fault', 'authn-token-in-query'])]);
  bundles.first = join(work, 'first');
  bundles.second = join(work, 'second');
  bundles.faulted = join(work, 'faulted');
  // One after another: two runs at once against one server would share its rate limit and audit trail.
  await certify(clean, bundles.first, '3');
  await certify(clean, bundles.second, '99');
  await certify(faulted, bundles.faulted, '3');
}, 180_000);
afterAll(async () => {
  await Promise.all([clean?.stop(), faulted?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

describe('a bundle of a server', () => {
  it('verifies, holds none of the credentials, and fingerprints /healthz', async () => {
    const v = await cli(['verify', bundles.first, '--allow-unsigned']);
    expect(v.code, v.stdout).toBe(0);
    expect(fingerprint(bundles.first).healthz).toMatch(/^[0-9a-f]{64}$/);
    const adminToken = clean.adminHeaders.authorization!.replace(/^Bearer /, '');
    const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)).map((f) => `${n}/${f}`) : [n]));
    for (const f of files(bundles.first)) {
      const text = readFileSync(join(bundles.first, f), 'utf8');
      expect(text.includes(clean.agentToken) || text.includes(adminToken), f).toBe(false);
    }
  });

  it('two certify runs against one serve build share the server fingerprint (other seed, other keys); a serve with a fault does not', () => {
    const [a, b, c] = [fingerprint(bundles.first), fingerprint(bundles.second), fingerprint(bundles.faulted)];
    expect(b).toEqual(a);
    // The fault changes what the server answers, not the tools it lists.
    expect(c.tools).toBe(a.tools);
    expect(c.replies).not.toBe(a.replies);
    expect(c.digest).not.toBe(a.digest);
  });

  it('reused under another URL: every transcript entry names the host it was sent to', () => {
    const dir = forge(work, bundles.first, forgerKey(), ({ report, manifest }) => void (report.target.url = manifest.target.url = 'https://vendor.example'));
    const v = verifyBundle(dir, { publicKeyPem: forgerPub() });
    expect(v.notes).toContain('signature verified with the given key');
    const entries = v.report!.evidence!.journal.entries;
    expect(v.problems).toContainEqual({ file: FILES.transcript, property: 'hosts', message: `${entries} of ${entries} entries were sent to another host than the bundle's target https://vendor.example (entry 1: ${clean.url})` });
  });
});

describe('verify --replay against serve', () => {
  it('reproduces the verdict with every journal-wide check judged from the replay\'s own journal', async () => {
    const v = verifyBundle(bundles.first);
    const rep = await replayBundle(bundles.first, v.report!, v.manifest!, { checks: CHECKS, url: clean.url, token: await mintToken(clean), adminHeaders: clean.adminHeaders });
    expect(rep.mode).toBe('full');
    expect(rep.differences).toEqual([]);
    expect(rep.verdict).toEqual({ was: v.report!.verdict, now: v.report!.verdict });
    for (const id of Object.keys(RESPONSE_RULES)) expect(rep.report.results.find((r) => r.id === id)?.status, id).toBe('pass');
    // A run made alike against the same build sees the same server.
    expect(rep.fingerprint).toEqual([]);
    expect(rep.report.evidence!.journal.file).not.toBeNull();
    expect(rep.report.evidence!.journal.entries).toBeGreaterThan(0);
  }, 60_000);

  it('a customer with one agent token and no admin rights re-checks the read-only subset the bundle names', async () => {
    const subset = (JSON.parse(readFileSync(join(bundles.first, FILES.manifest), 'utf8')) as BundleManifest).replay.customer;
    expect(subset).toEqual(expect.arrayContaining(['ENV-002', 'ENV-003', 'ENV-004', 'ENV-005', 'AUTHN-001']));
    const r = await cli(['verify', bundles.first, '--allow-unsigned', '--replay', clean.url], { env: { OPENPORT_CONFORM_TOKEN: await mintToken(clean) } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`customer replay (agent token, no admin plane): re-checking ${subset.length} requirement(s) read-only`);
    expect(r.stdout).toContain(`replay: 0 of ${subset.length} re-checked requirement(s) changed; outcomes reproduced`);
    // Without any credential the subset shrinks to what needs none, and the line says there was no token.
    const none = await cli(['verify', bundles.first, '--allow-unsigned', '--replay', clean.url], { env: {} });
    expect(none.stdout).toMatch(/customer replay \(no agent token, no admin plane\): re-checking \d+ requirement\(s\) read-only/);
    expect(none.stdout).toMatch(/· not re-checked: \S+: .*agent token/);
  }, 60_000);

  it('a customer\'s re-check notices a server that no longer behaves as certified, and says why', async () => {
    const r = await cli(['verify', bundles.first, '--allow-unsigned', '--replay', faulted.url], { env: { OPENPORT_CONFORM_TOKEN: await mintToken(faulted) } });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/≠ AUTHN-007: was pass, now warn: GET \/api\/agent\/v1\/manifest with the token in query/);
    // The missing draft the run's token asks for is answered with the wrong status: ENV-001 and ENV-003 see it.
    expect(r.stdout).toMatch(/≠ ENV-003: was pass, now fail: \d+ of \d+ responses carry an HTTP status that disagrees with their reason code/);
    expect(r.stdout).toMatch(/replay: 3 of \d+ re-checked requirement\(s\) changed; outcomes differ/);
  }, 60_000);

  it('catches what offline verify cannot: a transcript forged consistently (ENV-001 and ENV-003 flipped, every offending status rewritten)', async () => {
    let rewritten = 0;
    const dir = forge(work, bundles.faulted, forgerKey(), ({ report, har, manifest }) => {
      for (const e of har.log.entries) {
        const ex = exchangeOfEntry(manifest.target.url, e);
        const code = (ex?.response.json as { code?: string } | undefined)?.code;
        if (ex && code && RESPONSE_RULES['ENV-003'].judge(ex, []) !== undefined) {
          e.response.status = statusesFor(code)[0]!;
          rewritten++;
        }
      }
      // Every check that judged those statuses: ENV-003 (every response) and ENV-001 (the drafts route).
      for (const id of ['ENV-001', 'ENV-003']) {
        passed(report.results.find((r) => r.id === id)!);
        const rec = har.log._checks!.find((c) => c.check === id)!;
        rec.status = 'pass';
        rec.exchanges = [];
      }
    });
    expect(rewritten).toBeGreaterThan(0);
    const offline = verifyBundle(dir, { publicKeyPem: forgerPub() });
    expect(offline.problems).toEqual([]);
    expect(offline.report!.results.find((r) => r.id === 'ENV-003')!.status).toBe('pass');
    // Replayed against the server, the requests are sent again, and the fault answers them as before.
    const r = await cli(['verify', dir, '--allow-unsigned', '--replay', faulted.url, '--admin-header', admin(faulted)], { env: { OPENPORT_CONFORM_TOKEN: await mintToken(faulted) } });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/≠ ENV-003: was pass, now fail: \d+ of \d+ responses carry an HTTP status that disagrees with their reason code/);
    // The forged transcript's fingerprint describes replies the server never gave.
    expect(r.stdout).toContain('server fingerprint: differs from the certified one in replies');
  }, 60_000);
});
