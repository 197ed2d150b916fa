// The evidence bundle end to end, through the CLI (in-process, main(argv, io)): certify the embedded runtime (clean and faulted),
// then verify, tamper, re-sign with another key, forge a result, and replay. The faulted bundle's
// AUTHN-007 finding has a redacted token in its query, so finding it in the HAR needs URL normalisation.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILES, parseSums, sha256, writeBundle, type BundleManifest } from '../../src/evidence/bundle.js';
import type { Envelope } from '../../src/evidence/dsse.js';
import { verifyBundle } from '../../src/evidence/verify.js';
import type { Har } from '../../src/evidence/har.js';
import { serverFingerprintOf } from '../../src/runner/fingerprint.js';
import { forge, passed } from './forge.js';
import { readJournal } from '../../src/runner/journal.js';
import type { RunReport } from '../../src/runner/result.js';
import { loadProfile } from '../../src/runner/profiles.js';
import { cli as run, startServe, type CliOutcome, type Served } from '../support/cli.js';

/** The requirements of the state-witness profile: one result each in a complete report. */
const STATE_WITNESS = loadProfile('state-witness').requirements.length;

function cli(...args: string[]): Promise<CliOutcome>;
function cli(env: Record<string, string>, ...args: string[]): Promise<CliOutcome>;
function cli(first: string | Record<string, string>, ...rest: string[]): Promise<CliOutcome> {
  const [env, args] = typeof first === 'string' ? [{}, [first, ...rest]] : [first, rest];
  return run(args, { env });
}

let work: string;
let clean: string;
let faulted: string;
const keys = () => join(work, 'keys');
const other = () => join(work, 'other-keys');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)).map((f) => `${n}/${f}`) : [n]));
}

/** A copy of a bundle to break. */
function copy(dir: string): string {
  const to = mkdtempSync(join(work, 'copy-'));
  cpSync(dir, to, { recursive: true });
  return to;
}

let cleanStdout = '';
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'opc-certify-'));
  expect((await cli('keygen', '--out', keys())).code).toBe(0);
  expect((await cli('keygen', '--out', other())).code).toBe(0);
  clean = join(work, 'clean');
  faulted = join(work, 'faulted');
  const [a, b] = await Promise.all([
    cli('certify', '--sign-key', join(keys(), 'openport-signing.pem'), '--out', clean, '--seed', '7'),
    cli('certify', '--fault', 'env-status-mismatch', '--fault', 'authn-token-in-query', '--fault', 'env-admin-unauth-500', '--out', faulted, '--seed', '7'),
  ]);
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(1);
  cleanStdout = a.stdout;
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('keygen', () => {
  it('writes an Ed25519 pair, the private key mode 0600, and never overwrites it', async () => {
    expect(statSync(join(keys(), 'openport-signing.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(keys(), 'openport-signing.pub.pem'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const again = await cli('keygen', '--out', keys());
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    // A public key alone is not overwritten either; an --out under a file is refused before anything is written.
    const pubOnly = mkdtempSync(join(work, 'pub-only-'));
    writeFileSync(join(pubOnly, 'openport-signing.pub.pem'), 'published\n');
    expect((await cli('keygen', '--out', pubOnly)).stderr).toContain(`${join(pubOnly, 'openport-signing.pub.pem')} already exists; keygen never overwrites a key`);
    expect(readFileSync(join(pubOnly, 'openport-signing.pub.pem'), 'utf8')).toBe('published\n');
    writeFileSync(join(work, 'a-file'), '');
    const under = await cli('keygen', '--out', join(work, 'a-file', 'keys'));
    expect(under.code).toBe(2);
    expect(under.stderr).toContain(`cannot create the key directory (${join(work, 'a-file')} is not a directory)`);
    // certify finds an --out it cannot make before the run, not after it.
    const cert = await cli('certify', '--only', 'AUTHN-001', '--out', join(work, 'a-file', 'bundle'));
    expect(cert.code).toBe(2);
    expect(cert.stderr).toContain(`cannot create the bundle directory (${join(work, 'a-file')} is not a directory)`);
    expect(cert.stdout).not.toContain('checks:');
  });
});

describe('certify', () => {
  it("names report.json where the bundle keeps it, not in the work folder it removes", () => {
    expect(cleanStdout).toContain(`Reports: ${join(clean, FILES.report)}\nBundle: ${clean} (signed)\n`);
    expect(cleanStdout).not.toContain('openport-certify-');
  });

  it('writes the bundle: report, HAR 1.2 transcript, profiles, requirement table, manifest, digests, DSSE envelope, certificate', () => {
    const names = files(clean).sort();
    expect(names).toEqual(['SHA256SUMS', 'attestation.dsse.json', 'badge.svg', 'bundle.json', 'certificate.md', 'profiles/core.yaml', 'profiles/state-witness.yaml', 'profiles/write-lifecycle.yaml', 'report.json', 'requirements.json', 'transcript.har']);
    const har = JSON.parse(readFileSync(join(clean, FILES.transcript), 'utf8'));
    const report = JSON.parse(readFileSync(join(clean, FILES.report), 'utf8')) as RunReport;
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.length).toBe(report.evidence!.journal.entries);
    // The journal became the transcript and its work folder is gone: the report names no file of it.
    expect(report.evidence!.journal.file).toBeNull();
    expect(har.log.entries[0].request.url).toMatch(/^http:\/\/embedded\.invalid\//);
    const m = JSON.parse(readFileSync(join(clean, FILES.manifest), 'utf8')) as BundleManifest;
    expect(m.tool.node).toBe(process.version);
    expect(m.run.seed).toBe(7);
    expect(m.target.fingerprint.tools).toMatch(/^[0-9a-f]{64}$/);
    // ENV-009 reads /healthz, so the embedded runtime's transcript has its body too.
    expect(m.target.fingerprint.healthz).toMatch(/^[0-9a-f]{64}$/);
    // Each check's exchanges carry its id and their ordinal; each check left its outcome.
    expect((har as Har).log._checks!.map((c) => c.check).sort()).toEqual(report.results.map((r) => r.id).sort());
    for (const c of (har as Har).log._checks!) {
      const steps = (har as Har).log.entries.filter((e) => e._check === c.check).map((e) => e._step).sort((a, b) => a! - b!);
      expect(steps, c.check).toEqual(Array.from({ length: c.steps }, (_, i) => i + 1));
    }
    const sums = parseSums(readFileSync(join(clean, FILES.sums), 'utf8'));
    expect([...sums.keys()].sort()).toEqual(names.filter((n) => !['SHA256SUMS', 'attestation.dsse.json', 'badge.svg', 'certificate.md'].includes(n)));
    const statement = JSON.parse(Buffer.from((JSON.parse(readFileSync(join(clean, FILES.attestation), 'utf8')) as Envelope).payload, 'base64').toString());
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicate.verdict).toBe('conformant');
    // The MUSTs that passed, not every MUST result: another binding's rules are named as outside the run.
    const passedMusts = report.results.filter((r) => r.level === 'MUST' && r.status === 'pass').length;
    expect(passedMusts).toBeLessThan(report.results.filter((r) => r.level === 'MUST').length);
    expect(readFileSync(join(clean, FILES.certificate), 'utf8')).toContain(`| Verdict | conformant (${passedMusts} MUST requirements passed; 0 SHOULD warnings; ${report.binding!.notApplicable!.length} outside this run: ${report.binding!.notApplicable!.join(', ')}) |`);
    expect(readFileSync(join(clean, FILES.badge), 'utf8')).toMatch(/^<svg[^>]*>[\s\S]*state-witness · conformant/);
  });

  it('plants a canary that appears redacted in the transcript and in full in no bundle file', () => {
    for (const dir of [clean, faulted]) {
      for (const f of files(dir)) {
        const text = readFileSync(join(dir, f), 'utf8');
        expect(text, f).not.toMatch(/op_canary_[A-Za-z0-9_-]{20,}/);
        if (f === FILES.attestation) expect(Buffer.from(JSON.parse(text).payload, 'base64').toString()).not.toMatch(/op_canary_[A-Za-z0-9_-]{20,}/);
      }
      expect(readFileSync(join(dir, FILES.transcript), 'utf8')).toContain('"x-openport-canary"');
    }
    // Every request carries it, the ones ADM-004 sends from its second client address included.
    const har = JSON.parse(readFileSync(join(clean, FILES.transcript), 'utf8')) as Har;
    const bare = har.log.entries.filter((e) => !e.request.headers.some((h) => h.name === 'x-openport-canary'));
    expect(bare.map((e) => `${e._check} ${e.request.method} ${e.request.url}`)).toEqual([]);
  });

  it('refuses to write a bundle that would contain the canary, and writes nothing', async () => {
    const report = JSON.parse(readFileSync(join(clean, FILES.report), 'utf8')) as RunReport;
    const journalDir = mkdtempSync(join(work, 'j-'));
    const journal = join(journalDir, 'exchanges.jsonl');
    writeFileSync(journal, `${JSON.stringify({ type: 'header', format: 'openport-conform.journal', version: 1, target: 'embedded:', startedAt: report.startedAt, maxBytes: 1e6 })}\n${JSON.stringify({ type: 'end', finishedAt: report.finishedAt, entries: 0, dropped: 0, bytes: 0, truncated: false })}\n`);
    const out = mkdtempSync(join(work, 'leak-'));
    const canary = 'op_canary_abcdefghijklmnopqrstuvwxyz012345';
    const input = { report, journal: await readJournal(journal), run: { profile: report.profile, safety: report.safety, strict: false, seed: 1, faults: [] }, canary, checks: [] };
    await expect(writeBundle(out, { ...input, reportText: `{"leak":"${canary}"}` })).rejects.toThrow(/canary secret would be written to report\.json/);
    expect(readdirSync(out)).toEqual([]);
    // The same input without the canary is written.
    await writeBundle(out, { ...input, reportText: '{}' });
    expect(readdirSync(out)).toContain(FILES.sums);
  });

  it('refuses a --sign-key that is not an Ed25519 private key before any traffic, and a non-empty --out', async () => {
    const out = join(work, 'badkey');
    const r = await cli('certify', '--sign-key', join(keys(), 'openport-signing.pub.pem'), '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a public key');
    expect(r.stdout).not.toContain('checks:');
    expect(existsSync(out)).toBe(false);
    const full = await cli('certify', '--out', clean);
    expect(full.code).toBe(2);
    expect(full.stderr).toContain('the directory is not empty');
  });

  it('says what a --sign-key that cannot sign is (a public key, an encrypted key, no PEM), and warns of one others can read', async () => {
    const out = join(work, 'keykinds');
    const pub = await cli('certify', '--sign-key', join(keys(), 'openport-signing.pub.pem'), '--out', out);
    expect(pub.stderr).toContain('is a public key; --sign-key takes the private key');
    const encrypted = join(work, 'encrypted.pem');
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(encrypted, privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }), { mode: 0o600 });
    const enc = await cli('certify', '--sign-key', encrypted, '--out', out);
    expect(enc.stderr).toContain('is encrypted with a passphrase');
    const text = join(work, 'not-a-key.txt');
    writeFileSync(text, 'hello\n');
    const none = await cli('certify', '--sign-key', text, '--out', out);
    expect(none.stderr).toContain('holds no PEM key');
    for (const r of [pub, enc, none]) expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    const open = join(work, 'open-key.pem');
    cpSync(join(keys(), 'openport-signing.pem'), open);
    chmodSync(open, 0o644);
    const warned = await cli('certify', '--sign-key', open, '--only', 'ENV-001', '--out', out);
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toContain(`warning: --sign-key ${open} is readable by others (mode 0644): chmod 600 it`);
    expect(readdirSync(out)).toContain(FILES.attestation);
  });

  it('records no path of the machine that ran: the target file as the bundle holds it, no journal in a removed work folder', async () => {
    const privateDir = join(work, 'vendor-private-dir');
    mkdirSync(privateDir);
    cpSync('fixtures/targets/demo.yaml', join(privateDir, 'demo.yaml'));
    const out = join(work, 'paths');
    const r = await cli('certify', '--target', join(privateDir, 'demo.yaml'), '--only', 'ENV-001', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    for (const f of files(out)) {
      const text = readFileSync(join(out, f), 'utf8');
      expect(text, f).not.toContain('vendor-private-dir');
      expect(text, f).not.toContain('openport-certify-');
    }
    expect((JSON.parse(readFileSync(join(out, FILES.manifest), 'utf8')) as BundleManifest).run.targetFile).toBe(FILES.target);
    expect(readFileSync(join(out, FILES.target), 'utf8')).toBe(readFileSync('fixtures/targets/demo.yaml', 'utf8'));
    const replay = await cli('verify', out, '--allow-unsigned', '--replay');
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(replay.stdout).toContain('verdict reproduced');
  });

  it('takes no --reporter: a bundle holds its own set of files', async () => {
    const r = await cli('certify', '--reporter', 'html', '--out', join(work, 'reporter'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--reporter'");
  });

  it('refuses to certify a run whose journal was cut, and writes no bundle', async () => {
    const out = join(work, 'cut');
    const r = await cli('certify', '--journal-max-bytes', '8192', '--only', 'ENV-*', '--out', out);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the exchange journal is incomplete');
    expect(existsSync(join(out, FILES.sums))).toBe(false);
    // No bundle, but the run's report stays where the console named it.
    expect(r.stdout).toContain(`Reports: ${join(out, FILES.report)}`);
    expect(files(out)).toEqual([FILES.report]);
    expect((JSON.parse(readFileSync(join(out, FILES.report), 'utf8')) as RunReport).evidence?.journal.truncated).toBe(true);
    // A run that never reached the target (exit 3) keeps its report too.
    const gone = join(work, 'unreachable');
    const u = await cli('certify', 'http://127.0.0.1:9', '--out', gone);
    expect(u.code).toBe(3);
    expect(files(gone)).toEqual([FILES.report]);
    expect(JSON.parse(readFileSync(join(gone, FILES.report), 'utf8'))).toMatchObject({ verdict: 'incomplete', toolError: expect.stringContaining('cannot reach http://127.0.0.1:9') });
    // Certifying into it again says what the file is; --out naming a file is a usage error too.
    const again = await cli('certify', '--out', gone);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('it holds only the report.json of a run that got no bundle');
    const file = await cli('certify', '--out', join(gone, FILES.report));
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('not a directory');
  }, 60_000);

  it('verifies a bundle whose findings rest on a burst answer the journal kept only a sample of', async () => {
    // With no limit the burst never meets a 429: each "no 429" finding cites the burst's last answer, a
    // success envelope that is bulk traffic (its body sampled, its code kept beside the sample).
    const out = join(work, 'no-limit');
    const r = await cli('certify', '--fault', 'adm-no-limit', '--only', 'ADM-001', '--only', 'FUZZ-007', '--seed', '7', '--out', out);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(out, FILES.report), 'utf8')) as RunReport;
    const cited = report.results.find((x) => x.id === 'ADM-001')!.finding!.exchanges[0]!;
    const har = JSON.parse(readFileSync(join(out, FILES.transcript), 'utf8')) as Har;
    expect(har.log.entries.find((e) => e._seq === cited)!.response.content._envelope).toEqual({ ok: true, code: 'common.success' });
    expect(verifyBundle(out).problems).toEqual([]);
  }, 60_000);

  it('gives no certificate for a non-conformant run, a selection, or an incomplete run', async () => {
    expect(existsSync(join(faulted, FILES.certificate))).toBe(false);
    const sel = join(work, 'selection');
    const incomplete = join(work, 'incomplete');
    const [s, i] = await Promise.all([cli('certify', '--only', 'ENV-*', '--out', sel), cli('certify', '--safety', 'read-only', '--out', incomplete)]);
    expect(s.stdout).toContain('No certificate: the verdict is selection-passed');
    expect(i.stdout).toMatch(/No certificate: the verdict is incomplete/);
    for (const d of [sel, incomplete]) {
      expect(existsSync(join(d, FILES.sums))).toBe(true);
      expect(existsSync(join(d, FILES.certificate)) || existsSync(join(d, FILES.badge))).toBe(false);
    }
  }, 120_000);
});

describe('fingerprint', () => {
  const get = (path: string, status: number, body: string) => ({ method: 'GET', path, status, body });
  const tool = (name: string, risk: string) => ({ name, risk, scopes: ['ledger.read'], inputSchema: { type: 'object' } });
  const manifest = (app: string, tools: unknown[]) => JSON.stringify({ ok: true, code: 'common.success', data: { app: { id: app, orgId: 'org_demo' }, tools } });

  it('reads what the server exposes, not what the run did: key order, minted ids and persona views do not change it', () => {
    const one = serverFingerprintOf([get('/healthz', 200, '{"ok":true,"b":1,"a":2}'), get('/api/agent/v1/manifest', 200, manifest('app_aaaaaaaaaa', [tool('a.list', 'low'), tool('b.list', 'low')]))]);
    // Another run: other app ids, the tools seen through two personas, another order of keys.
    const other = serverFingerprintOf([
      get('/api/agent/v1/manifest', 200, manifest('app_bbbbbbbbbb', [tool('b.list', 'low')])),
      get('/api/agent/v1/manifest', 200, manifest('app_cccccccccc', [tool('a.list', 'low')])),
      get('/healthz', 200, '{"a":2,"ok":true,"b":1}'),
    ]);
    expect(other).toEqual(one);
    expect(one.healthz).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs for a build that rates a tool differently or answers with another status', () => {
    const base = [get('/api/agent/v1/manifest', 200, manifest('app_aaaaaaaaaa', [tool('a.list', 'low')])), get('/api/agent/v1/x', 403, '{"ok":false,"code":"agent.scope_denied","message":"no"}')];
    const fp = serverFingerprintOf(base);
    const rerated = serverFingerprintOf([get('/api/agent/v1/manifest', 200, manifest('app_aaaaaaaaaa', [tool('a.list', 'high')])), base[1]!]);
    expect(rerated.tools).not.toBe(fp.tools);
    expect(rerated.replies).toBe(fp.replies);
    const answered = serverFingerprintOf([base[0]!, { ...base[1]!, status: 400 }]);
    expect(answered.replies).not.toBe(fp.replies);
    expect(answered.tools).toBe(fp.tools);
    expect(new Set([fp.digest, rerated.digest, answered.digest]).size).toBe(3);
  });
});

describe('verify', () => {
  it('verifies both bundles; the signed one with its key, naming the signer', async () => {
    const a = await cli('verify', clean, '--key', join(keys(), 'openport-signing.pub.pem'));
    expect(a.code, a.stdout).toBe(0);
    expect(a.stdout).toContain('signature verified with the given key');
    const env = JSON.parse(readFileSync(join(clean, FILES.attestation), 'utf8')) as Envelope;
    expect(a.stdout).toContain(`verified: the embedded reference runtime · profile state-witness · conformant · ${STATE_WITNESS} results · signed by key ${env.signatures[0]!.keyid}`);
  });

  it('a path that is no directory is a usage error (2); a directory that is no bundle fails verification (1)', async () => {
    const missing = await cli('verify', join(work, 'no-such-bundle'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${join(work, 'no-such-bundle')}: no such directory`);
    const empty = mkdtempSync(join(work, 'empty-'));
    const notBundle = await cli('verify', empty);
    expect(notBundle.code).toBe(1);
    expect(notBundle.stdout).toContain(`${join(empty, FILES.report)}: present: file missing`);
  });

  it('without --key says "consistent, signer not checked" and exits 4, or 0 with --allow-unsigned', async () => {
    for (const dir of [clean, faulted]) {
      const r = await cli('verify', dir);
      expect(r.code, r.stdout).toBe(4);
      expect(r.stdout).toContain('consistent, signer not checked: the embedded reference runtime');
      expect(r.stdout).not.toContain('verified:');
      const allowed = await cli('verify', dir, '--allow-unsigned');
      expect(allowed.code, allowed.stdout).toBe(0);
      expect(allowed.stdout).toContain('consistent, signer not checked');
    }
  });

  it('fails on one flipped byte in any file, naming the file', () => {
    for (const f of files(clean).filter((n) => n !== FILES.certificate && n !== FILES.badge)) {
      const dir = copy(clean);
      const buf = readFileSync(join(dir, f));
      buf[Math.floor(buf.length / 2)] ^= 0x01;
      writeFileSync(join(dir, f), buf);
      const v = verifyBundle(dir, { publicKeyPem: readFileSync(join(keys(), 'openport-signing.pub.pem'), 'utf8') });
      expect(v.ok, f).toBe(false);
      expect(v.problems.some((p) => p.file === f), `${f}: ${JSON.stringify(v.problems)}`).toBe(true);
    }
  });

  it('judges a file that is JSON of the wrong shape as a problem of that file, never a crash', () => {
    // What a flipped byte in a key or a hand edit leaves: the file parses, its members are not what a bundle writes.
    const shapes: Record<string, unknown> = {
      [FILES.transcript]: { log: { entries: [{ _seq: 1, request: {}, response: { headers: 7 } }] } },
      [FILES.report]: { results: [{ id: 'ENV-001', status: 'pass', finding: { exchanges: 'x' } }], summary: null },
      [FILES.manifest]: { files: 'none', target: 5 },
    };
    for (const [f, shape] of Object.entries(shapes)) {
      const dir = copy(clean);
      writeFileSync(join(dir, f), JSON.stringify(shape));
      const v = verifyBundle(dir, { publicKeyPem: readFileSync(join(keys(), 'openport-signing.pub.pem'), 'utf8') });
      expect(v.ok, f).toBe(false);
      expect(v.problems.some((p) => p.file === f), `${f}: ${JSON.stringify(v.problems)}`).toBe(true);
    }
  });

  it('judges a bundle file that is JSON but no object (null, an array, a number) as a problem of that file, never a file to skip', () => {
    for (const f of [FILES.manifest, FILES.transcript, FILES.report]) {
      for (const value of ['null', '[]', '0']) {
        const dir = copy(clean);
        writeFileSync(join(dir, f), value);
        const v = verifyBundle(dir, { publicKeyPem: readFileSync(join(keys(), 'openport-signing.pub.pem'), 'utf8') });
        expect(v.ok, `${f} ${value}`).toBe(false);
        expect(v.problems.some((p) => p.file === f && p.property === 'shape' && p.message.startsWith('not a JSON object')), `${f} ${value}: ${JSON.stringify(v.problems)}`).toBe(true);
      }
    }
  });

  it('never follows a name of SHA256SUMS or bundle.json out of the bundle, nor reads a folder as a file', () => {
    const dir = copy(clean);
    const zeros = '0'.repeat(64);
    // /dev/zero read whole would never end: the name alone is the problem.
    writeFileSync(join(dir, 'SHA256SUMS'), `${readFileSync(join(dir, 'SHA256SUMS'), 'utf8')}${zeros}  ../../../../../../../../../dev/zero\n${zeros}  /etc/hostname\n${zeros}  profiles\n`);
    const manifest = JSON.parse(readFileSync(join(dir, FILES.manifest), 'utf8'));
    manifest.profiles.push({ file: '../../../../../../../../../dev/zero', sha256: zeros });
    writeFileSync(join(dir, FILES.manifest), JSON.stringify(manifest));
    const v = verifyBundle(dir);
    const said = v.problems.map((p) => `${p.file}: ${p.message}`);
    expect(said).toContain('../../../../../../../../../dev/zero: listed in SHA256SUMS but a path outside the bundle');
    expect(said).toContain('/etc/hostname: listed in SHA256SUMS but a path outside the bundle');
    expect(said).toContain('profiles: listed in SHA256SUMS but not a file of the bundle');
    expect(said).toContain('bundle.json: ../../../../../../../../../dev/zero is missing');
    const folder = copy(clean);
    rmSync(join(folder, FILES.report));
    mkdirSync(join(folder, FILES.report));
    expect(verifyBundle(folder).problems.map((p) => `${p.file}: ${p.property}: ${p.message}`)).toContain('report.json: type: not a regular file');
  });

  it('names a repeated SHA256SUMS line as such, and a payload with anything but standard base64', () => {
    const dir = copy(clean);
    const first = readFileSync(join(dir, 'SHA256SUMS'), 'utf8').split('\n')[0];
    writeFileSync(join(dir, 'SHA256SUMS'), `${readFileSync(join(dir, 'SHA256SUMS'), 'utf8')}${first}\n`);
    expect(verifyBundle(dir).problems.map((p) => p.message)).toContain('1 line(s) name a file listed before');
    // Junk after padding, line breaks: each decodes to the same statement, so the signature still verifies.
    for (const edit of [(p: string) => `${p}====ZZZZ`, (p: string) => p.replace(/(.{60})/g, '$1\n')]) {
      const junk = copy(clean);
      const env = JSON.parse(readFileSync(join(junk, FILES.attestation), 'utf8'));
      expect(edit(env.payload)).not.toBe(env.payload);
      env.payload = edit(env.payload);
      writeFileSync(join(junk, FILES.attestation), JSON.stringify(env));
      expect(verifyBundle(junk, { publicKeyPem: readFileSync(join(keys(), 'openport-signing.pub.pem'), 'utf8') }).problems.map((p) => `${p.property}: ${p.message}`)).toContain('payload: the DSSE payload is not base64 as certify writes it (standard alphabet, padded, nothing else)');
    }
  });

  it('fails on a removed file, naming it', async () => {
    const dir = copy(clean);
    rmSync(join(dir, 'profiles', 'core.yaml'));
    const r = await cli('verify', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${join(dir, 'profiles/core.yaml')}: present: listed in SHA256SUMS but missing`);
    // bundle.json's profile list calls it missing too, not a file whose digest differs.
    expect(r.stdout).toContain('bundle.json: profiles: profiles/core.yaml is missing');
    expect(r.stdout).not.toContain('profiles/core.yaml digest differs');
  });

  it("prints a tampered bundle's names with their controls made visible, never raw", async () => {
    const dir = copy(clean);
    const name = 'evil\u001b]8;;http://evil.example/\u0007CLICK\u001b]8;;\u0007\u001b[2J\u202e.txt';
    writeFileSync(join(dir, 'SHA256SUMS'), `${readFileSync(join(dir, 'SHA256SUMS'), 'utf8')}${'0'.repeat(64)}  ${name}\n`);
    const r = await cli('verify', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\u001b\u0007\r\u202e]/);
    expect(r.stdout).toContain('evil?]8;;http:/evil.example/?CLICK?]8;;??[2J⟨U+202E⟩.txt: present: listed in SHA256SUMS but missing');
  });

  it('a forged signature block is never a pass: a null envelope, a signature of no one, a signer claiming another key id', async () => {
    const key = join(keys(), 'openport-signing.pub.pem');
    const envelopeOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'attestation.dsse.json'), 'utf8')) as { payload: string; payloadType: string; signatures: { keyid: string; sig: string }[] };
    const nulled = copy(clean);
    writeFileSync(join(nulled, 'attestation.dsse.json'), 'null');
    for (const args of [['--key', key], ['--key', key, '--allow-unsigned'], ['--allow-unsigned']]) {
      const r = await cli('verify', nulled, ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toContain('attestation.dsse.json: shape: not a JSON object (null)');
    }
    const extra = copy(clean);
    const env = envelopeOf(extra);
    env.signatures.push({ keyid: '0'.repeat(64), sig: 'AAAA' });
    writeFileSync(join(extra, 'attestation.dsse.json'), JSON.stringify(env));
    const r = await cli('verify', extra, '--key', key);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('signature 2 (key id 0000000000000000…) does not verify with the given public key');
    const named = copy(clean);
    const n = envelopeOf(named);
    n.signatures.push({ keyid: `${'0'.repeat(63)}1 (Acme Root CA)`, sig: 'AAAA' });
    writeFileSync(join(named, 'attestation.dsse.json'), JSON.stringify(n));
    expect((await cli('verify', named, '--key', key)).stdout).toContain('attestation.dsse.json: shape: signature 2 is not {keyid: 64 hex digits, sig: base64}');
    // Signed with the other key, under this key's id: the id is the signer's word only once its signature verifies.
    const claimed = copy(clean);
    const c = envelopeOf(claimed);
    const otherPem = readFileSync(join(other(), 'openport-signing.pem'), 'utf8');
    const { sign, createPrivateKey } = await import('node:crypto');
    const pae = Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(c.payloadType)} ${c.payloadType} ${Buffer.from(c.payload, 'base64').length} `), Buffer.from(c.payload, 'base64')]);
    c.signatures = [{ keyid: c.signatures[0]!.keyid, sig: sign(null, pae, createPrivateKey(otherPem)).toString('base64') }];
    writeFileSync(join(claimed, 'attestation.dsse.json'), JSON.stringify(c));
    const claim = await cli('verify', claimed, '--key', join(other(), 'openport-signing.pub.pem'));
    expect(claim.code).toBe(1);
    expect(claim.stdout).toMatch(/signature 1 verifies with the given key but names key id [0-9a-f]{16}…, not the given key's [0-9a-f]{16}…/);
    // bundle.json says it was signed: stripping the signature is not an unsigned bundle.
    const stripped = copy(clean);
    const st = envelopeOf(stripped);
    st.signatures = [];
    writeFileSync(join(stripped, 'attestation.dsse.json'), JSON.stringify(st));
    const strip = await cli('verify', stripped, '--allow-unsigned');
    expect(strip.code).toBe(1);
    expect(strip.stdout).toContain('bundle.json says the bundle was signed, but the envelope holds no signature');
  });

  it('entries certify never writes are named and read no further: a link, a pipe, a name that is not UTF-8', async () => {
    const linked = copy(clean);
    symlinkSync('/nonexistent', join(linked, 'dangling'));
    symlinkSync('.', join(linked, 'loop'));
    const r = await cli('verify', linked);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('dangling: type: a symbolic link (a bundle holds regular files and folders only)');
    expect(r.stdout).toContain('loop: type: a symbolic link');
    const piped = copy(clean);
    rmSync(join(piped, 'certificate.md'), { force: true });
    execFileSync('mkfifo', [join(piped, 'certificate.md')]);
    const p = await cli('verify', piped);
    expect(p.code).toBe(1);
    expect(p.stdout).toContain('certificate.md: type: not a regular file');
    const named = copy(clean);
    writeFileSync(Buffer.concat([Buffer.from(`${named}/bad`), Buffer.from([0xff, 0xfe]), Buffer.from('name')]), 'x');
    const nm = await cli('verify', named);
    expect(nm.code).toBe(1);
    expect(nm.stdout).toContain(': name: not a UTF-8 file name');
  });

  it('a --key that is no Ed25519 public key is the caller\'s mistake (exit 2), never a broken bundle', async () => {
    const bad = join(work, 'bad-key.pem');
    for (const text of ['garbage\n', '']) {
      writeFileSync(bad, text);
      const r = await cli('verify', clean, '--key', bad);
      expect(r.code, JSON.stringify(text)).toBe(2);
      expect(r.stderr).toContain(`--key ${bad}: not an Ed25519 public key`);
      expect(r.stdout).not.toContain('NOT VERIFIED');
    }
    const { generateKeyPairSync } = await import('node:crypto');
    writeFileSync(bad, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string);
    const rsa = await cli('verify', clean, '--key', bad);
    expect(rsa.code).toBe(2);
    expect(rsa.stderr).toContain('the public key is rsa, not Ed25519');
    // The signer's own private key would verify (its public half derives from it): refused, it is not for handing out.
    const priv = join(keys(), 'openport-signing.pem');
    const own = await cli('verify', clean, '--key', priv);
    expect(own.code).toBe(2);
    expect(own.stderr).toContain(`--key ${priv}: is a private key; verify takes the public one (keygen's openport-signing.pub.pem)`);
    expect(own.stdout).not.toContain('signature verified');
  });

  it('says a --fault it cannot apply before verifying anything', async () => {
    for (const args of [['--replay', 'http://127.0.0.1:9'], []]) {
      const r = await cli('verify', clean, '--allow-unsigned', ...args, '--fault', 'authn-revocation-cache');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^openport-conform: --fault applies only to a replay/);
      expect(r.stdout).toBe('');
    }
  });

  it('fails when signed with another key', async () => {
    const r = await cli('verify', clean, '--key', join(other(), 'openport-signing.pub.pem'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('attestation.dsse.json: signature: no signature verifies');
    // Both key ids said, and they differ: another key, not a changed statement.
    const [signer, given] = /signed by key id ([0-9a-f]{16})…; the given key's is ([0-9a-f]{16})…/.exec(r.stdout)!.slice(1);
    expect(signer).not.toBe(given);
    const unsigned = await cli('verify', faulted, '--key', join(keys(), 'openport-signing.pub.pem'));
    expect(unsigned.code).toBe(1);
    expect(unsigned.stdout).toContain('signature: the bundle is unsigned');
  });

  it('fails on an edited certificate, and on a certificate copied into a bundle that earns none', () => {
    const edited = copy(clean);
    writeFileSync(join(edited, FILES.badge), readFileSync(join(edited, FILES.badge), 'utf8').replace('state-witness', 'core'));
    expect(verifyBundle(edited).problems).toEqual([expect.objectContaining({ file: FILES.badge, property: 'certificate' })]);
    const borrowed = copy(faulted);
    cpSync(join(clean, FILES.certificate), join(borrowed, FILES.certificate));
    expect(verifyBundle(borrowed).problems).toEqual([{ file: FILES.certificate, property: 'certificate', message: 'present, but the run earns no certificate: the verdict is not-conformant' }]);
  });

  it('fails on a secret-looking value in the transcript', () => {
    const dir = copy(faulted);
    const file = join(dir, FILES.transcript);
    const har = JSON.parse(readFileSync(file, 'utf8'));
    har.log.entries[3].response.content.text = `{"ok":true,"code":"common.success","data":{"token":"op_${'A'.repeat(43)}"}}`;
    writeFileSync(file, JSON.stringify(har));
    expect(verifyBundle(dir).problems).toContainEqual(expect.objectContaining({ file: FILES.transcript, property: 'secrets' }));
  });

});

describe('offline verify refuses forgeries the bundle contradicts, re-signed with the forger\'s own key', () => {
  const forgerKey = () => readFileSync(join(other(), 'openport-signing.pem'), 'utf8');
  const forgerPub = () => readFileSync(join(other(), 'openport-signing.pub.pem'), 'utf8');
  const failing = () => (JSON.parse(readFileSync(join(faulted, FILES.report), 'utf8')) as RunReport).results.filter((r) => r.status === 'fail').map((r) => r.id);
  /** The forger's signature verifies: whatever is refused, it is the content, not the key. */
  const verified = (dir: string) => {
    const v = verifyBundle(dir, { publicKeyPem: forgerPub() });
    expect(v.notes).toContain('signature verified with the given key');
    expect(v.problems.filter((p) => p.property === 'digest' || p.property === 'subjects' || p.property === 'signature')).toEqual([]);
    return v;
  };

  it('failures flipped to pass, the transcript untouched: each flip is named against the transcript\'s record, and ENV-003 is judged again', () => {
    const ids = failing();
    expect(ids.length).toBeGreaterThan(1);
    const dir = forge(work, faulted, forgerKey(), ({ report }) => report.results.filter((r) => r.status === 'fail').forEach(passed));
    const v = verified(dir);
    expect(v.ok).toBe(false);
    expect(v.report!.verdict).toBe('conformant');
    for (const id of ids) {
      expect(v.problems, id).toContainEqual({ file: FILES.report, property: `results[${id}]`, message: expect.stringMatching(new RegExp(`^is pass, but the transcript records ${id} as fail \\(its finding rests on entry \\d+\\)$`)) });
    }
    // A requirement that forbids a 5xx on every request its check sends is judged again on its own exchanges.
    expect(v.problems).toContainEqual({ file: FILES.report, property: 'results[ENV-007]', message: expect.stringMatching(/^is pass, but \d+ of its own exchanges answered 5xx, which ENV-007 forbids; first: entry \d+ \(\w+ \/api\/agent-admin\/v1\/\S*\): HTTP 500$/) });
    expect(v.problems).toContainEqual({ file: FILES.report, property: 'results[ENV-003]', message: expect.stringMatching(/^is pass, but the transcript has entries that carry an HTTP status that disagrees with their reason code \(\d+\); first: entry \d+ \(\w+ \/\S+\): agent\.\w+ with HTTP 400, registry says 403/) });
  });

  it('a server whose failing answers carry bidirectional marks and line separators: the report shows them cleaned, and the bundle still verifies', () => {
    let marked = 0;
    const dir = forge(work, faulted, forgerKey(), ({ report, har }) => {
      const bySeq = new Map(har.log.entries.map((e) => [e._seq, e]));
      for (const r of report.results) {
        const entry = bySeq.get(r.finding?.exchanges[0] ?? -1);
        if (!r.exchange || !entry || !entry.response.content.text.includes('"message":"')) continue;
        // What the server sent, and what report.json shows of it (src/report/text.ts).
        entry.response.content.text = entry.response.content.text.replace('"message":"', '"message":"\u200f\u2028');
        r.exchange.response.body = r.exchange.response.body.replace('"message":"', '"message":"⟨U+200F⟩⟨U+2028⟩');
        marked++;
      }
    });
    expect(marked).toBeGreaterThan(0);
    const v = verified(dir);
    expect(v.problems).toEqual([]);
  });

  it('a run record replay would refuse, and a customer subset that is not the run\'s: refused offline', async () => {
    const { CHECKS } = await import('../../suites/index.js');
    const dir = forge(work, faulted, forgerKey(), ({ manifest }) => {
      manifest.run.concurrency = 0;
      manifest.run.shard = { index: 3, count: 2 };
      (manifest.run as Record<string, unknown>).strict = 'yes';
      manifest.replay.customer = ['ENV-001) | ## Witnessed by <img src=x onerror=alert(1)>'];
    });
    const v = verifyBundle(dir, { publicKeyPem: forgerPub(), checks: CHECKS });
    const said = v.problems.filter((p) => p.file === FILES.manifest).map((p) => `${p.property}: ${p.message}`);
    expect(said).toContain('run: concurrency is 0, expected an integer from 1 to 64');
    expect(said).toContain('run: shard is {"index":3,"count":2}, expected { index, count } with 1 ≤ index ≤ count ≤ 64');
    expect(said).toContain('run: strict is "yes", expected true or false');
    expect(said.some((x) => x.startsWith('replay.customer: is not the requirements of this run an agent token alone can re-check'))).toBe(true);
    // The run's own subset is what certify wrote.
    expect(verifyBundle(faulted, { checks: CHECKS }).problems).toEqual([]);
  });

  it('the failing results dropped: the transcript\'s record and the profile both name what is missing', () => {
    const ids = failing();
    const dir = forge(work, faulted, forgerKey(), ({ report }) => void (report.results = report.results.filter((r) => r.status !== 'fail')));
    const v = verified(dir);
    expect(v.report!.verdict).toBe('conformant');
    for (const id of ids) expect(v.problems, id).toContainEqual({ file: FILES.report, property: 'results', message: `holds no result for ${id}, which the transcript records as fail` });
    expect(v.problems).toContainEqual({ file: FILES.report, property: 'results', message: `profile state-witness has ${STATE_WITNESS} requirements, but report.json holds no result for ${ids.length}: ${ids.join(', ')} — an incomplete report, never a certificate` });
  });

  it('a tool version that never existed, with requirements deleted from the bundled table: refused, not trusted', () => {
    const ids = failing();
    const dir = forge(work, faulted, forgerKey(), ({ report, manifest, files }) => {
      manifest.tool.version = '0.0.9';
      report.tool.version = '0.0.9';
      report.results = report.results.filter((r) => !ids.includes(r.id));
      const table = (JSON.parse(files.get(FILES.requirements)!.toString()) as { id: string }[]).filter((r) => !ids.includes(r.id));
      files.set(FILES.requirements, `${JSON.stringify(table, null, 2)}\n`);
      manifest.requirements.sha256 = sha256(files.get(FILES.requirements)!);
    });
    const v = verified(dir);
    expect(v.problems).toContainEqual({ file: FILES.manifest, property: 'tool.version', message: expect.stringMatching(/^"0\.0\.9" is not a release this verify knows \([^)]*\): its requirement table and profiles cannot be checked, so the bundle is refused$/) });
    // Under the real version, the edited table is named against the release.
    const same = forge(work, dir, forgerKey(), ({ report, manifest }) => void (manifest.tool.version = report.tool.version = '0.1.0'));
    expect(verifyBundle(same).problems).toContainEqual({ file: FILES.requirements, property: 'release', message: 'differs from the requirement table openport-conform 0.1.0 ships' });
  });

  it('a pass whose exchanges are missing is not a pass', () => {
    let id = '';
    const dir = forge(work, faulted, forgerKey(), ({ report, har }) => {
      const rec = har.log._checks!.find((c) => c.status === 'pass' && c.steps > 2)!;
      id = rec.check;
      har.log.entries = har.log.entries.filter((e) => !(e._check === id && e._step === 2));
      report.evidence!.journal.entries = har.log.entries.length;
    });
    expect(verified(dir).problems).toContainEqual({ file: FILES.transcript, property: `results[${id}]`, message: expect.stringMatching(new RegExp(`^${id} is pass on \\d+ exchanges, but 1 of them are missing from the transcript \\(steps 2\\): a pass whose exchanges are missing is not a pass$`)) });
  });
});

describe('verify --replay', () => {
  it('reproduces the verdict against the same runtime', async () => {
    const r = await cli('verify', faulted, '--replay', '--allow-unsigned');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('verdict reproduced (not-conformant)');
  }, 60_000);

  it('exits 1 when an outcome changed though the verdict did not (a SHOULD that now warns)', async () => {
    const r = await cli('verify', clean, '--replay', '--fault', 'idem-mismatch-replays');
    expect(r.stdout).toMatch(/≠ IDEM-005: was pass, now warn/);
    expect(r.stdout).toContain('verdict reproduced (conformant)');
    expect(r.code).toBe(1);
  }, 60_000);

  it('reports the requirement that changed against a runtime with a fault, and exits 1 on the verdict', async () => {
    const r = await cli('verify', clean, '--replay', '--fault', 'env-status-mismatch');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/≠ ENV-003: was pass, now fail: \d+ of \d+ responses carry an HTTP status that disagrees with their reason code/);
    expect(r.stdout).toContain('verdict was conformant, now not-conformant');
  }, 60_000);
});
