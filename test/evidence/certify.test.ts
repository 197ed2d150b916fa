// The evidence bundle end to end, through the CLI (in-process, main(argv, io)): certify the embedded runtime (clean and faulted),
// then verify, tamper, re-sign with another key, forge a result, and replay. The faulted bundle's
// AUTHN-007 finding has a redacted token in its query, so finding it in the HAR needs URL normalisation.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILES, fingerprintOf, parseSums, predicateOf, sha256, statementOf, sumsText, writeBundle, type BundleManifest } from '../../src/evidence/bundle.js';
import { envelopeOf, type Envelope } from '../../src/evidence/dsse.js';
import { verifyBundle } from '../../src/evidence/verify.js';
import type { Har } from '../../src/evidence/har.js';
import { readJournal } from '../../src/runner/journal.js';
import type { RunReport } from '../../src/runner/result.js';
import { cli as run, startServe, type CliOutcome, type Served } from '../support/cli.js';

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

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'opc-certify-'));
  expect((await cli('keygen', '--out', keys())).code).toBe(0);
  expect((await cli('keygen', '--out', other())).code).toBe(0);
  clean = join(work, 'clean');
  faulted = join(work, 'faulted');
  const [a, b] = await Promise.all([
    cli('certify', '--sign-key', join(keys(), 'openport-signing.pem'), '--out', clean, '--seed', '7'),
    cli('certify', '--fault', 'env-status-mismatch', '--fault', 'authn-token-in-query', '--out', faulted, '--seed', '7'),
  ]);
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(1);
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('keygen', () => {
  it('writes an Ed25519 pair, the private key mode 0600, and never overwrites it', async () => {
    expect(statSync(join(keys(), 'openport-signing.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(keys(), 'openport-signing.pub.pem'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const again = await cli('keygen', '--out', keys());
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });
});

describe('certify', () => {
  it('writes the bundle: report, HAR 1.2 transcript, profiles, requirement table, manifest, digests, DSSE envelope, certificate', () => {
    const names = files(clean).sort();
    expect(names).toEqual(['SHA256SUMS', 'attestation.dsse.json', 'badge.svg', 'bundle.json', 'certificate.md', 'profiles/core.yaml', 'profiles/state-witness.yaml', 'profiles/write-lifecycle.yaml', 'report.json', 'requirements.json', 'transcript.har']);
    const har = JSON.parse(readFileSync(join(clean, FILES.transcript), 'utf8'));
    const report = JSON.parse(readFileSync(join(clean, FILES.report), 'utf8')) as RunReport;
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.length).toBe(report.evidence!.journal.entries);
    expect(har.log.entries[0].request.url).toMatch(/^http:\/\/embedded\.invalid\//);
    const m = JSON.parse(readFileSync(join(clean, FILES.manifest), 'utf8')) as BundleManifest;
    expect(m.tool.node).toBe(process.version);
    expect(m.run.seed).toBe(7);
    expect(m.target.fingerprint.manifests.length).toBeGreaterThan(0);
    // ENV-009 reads /healthz, so the embedded runtime's transcript has its one body too.
    expect(m.target.fingerprint.healthz).toHaveLength(1);
    const sums = parseSums(readFileSync(join(clean, FILES.sums), 'utf8'));
    expect([...sums.keys()].sort()).toEqual(names.filter((n) => !['SHA256SUMS', 'attestation.dsse.json', 'badge.svg', 'certificate.md'].includes(n)));
    const statement = JSON.parse(Buffer.from((JSON.parse(readFileSync(join(clean, FILES.attestation), 'utf8')) as Envelope).payload, 'base64').toString());
    expect(statement._type).toBe('https://in-toto.io/Statement/v1');
    expect(statement.predicate.verdict).toBe('conformant');
    expect(readFileSync(join(clean, FILES.certificate), 'utf8')).toContain('| Verdict | conformant');
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
  });

  it('refuses to write a bundle that would contain the canary, and writes nothing', async () => {
    const report = JSON.parse(readFileSync(join(clean, FILES.report), 'utf8')) as RunReport;
    const journalDir = mkdtempSync(join(work, 'j-'));
    const journal = join(journalDir, 'exchanges.jsonl');
    writeFileSync(journal, `${JSON.stringify({ type: 'header', format: 'openport-conform.journal', version: 1, target: 'embedded:', startedAt: report.startedAt, maxBytes: 1e6 })}\n${JSON.stringify({ type: 'end', finishedAt: report.finishedAt, entries: 0, dropped: 0, bytes: 0, truncated: false })}\n`);
    const out = mkdtempSync(join(work, 'leak-'));
    const canary = 'op_canary_abcdefghijklmnopqrstuvwxyz012345';
    const input = { report, journal: await readJournal(journal), run: { profile: report.profile, safety: report.safety, strict: false, seed: 1, faults: [] }, canary };
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
    expect(r.stderr).toContain('not an Ed25519 private key');
    expect(r.stdout).not.toContain('checks:');
    expect(existsSync(out)).toBe(false);
    const full = await cli('certify', '--out', clean);
    expect(full.code).toBe(2);
    expect(full.stderr).toContain('the directory is not empty');
  });

  it('refuses to certify a run whose journal was cut, and writes no bundle', async () => {
    const out = join(work, 'cut');
    const r = await cli('certify', '--journal-max-bytes', '8192', '--only', 'ENV-*', '--out', out);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the exchange journal is incomplete');
    expect(existsSync(join(out, FILES.sums))).toBe(false);
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
  it('hashes the JCS of each distinct successful manifest and /healthz body, whatever their key order', () => {
    const entry = (path: string, status: number, text: string) => ({ request: { method: 'GET', url: `http://127.0.0.1:1${path}` }, response: { status, content: { text } } });
    const har = { log: { entries: [entry('/healthz', 200, '{"ok":true,"b":1,"a":2}'), entry('/healthz', 200, '{"a":2,"ok":true,"b":1}'), entry('/api/agent/v1/manifest', 200, '{"ok":true,"data":{"x":1}}'), entry('/api/agent/v1/manifest', 401, '{"ok":false}')] } } as unknown as Har;
    const fp = fingerprintOf(har);
    expect(fp.healthz).toEqual([sha256('{"a":2,"b":1,"ok":true}')]);
    expect(fp.manifests).toEqual([sha256('{"data":{"x":1},"ok":true}')]);
  });
});

describe('verify', () => {
  it('verifies both bundles; the signed one with its key', async () => {
    const a = await cli('verify', clean, '--key', join(keys(), 'openport-signing.pub.pem'));
    expect(a.code, a.stdout).toBe(0);
    expect(a.stdout).toContain('signature verified with the given key');
    const b = await cli('verify', faulted);
    expect(b.code, b.stdout).toBe(0);
    expect(b.stdout).toContain('unsigned bundle');
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

  it('fails on a removed file, naming it', async () => {
    const dir = copy(clean);
    rmSync(join(dir, 'profiles', 'core.yaml'));
    const r = await cli('verify', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${join(dir, 'profiles/core.yaml')}: present: listed in SHA256SUMS but missing`);
  });

  it('fails when signed with another key', async () => {
    const r = await cli('verify', clean, '--key', join(other(), 'openport-signing.pub.pem'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('attestation.dsse.json: signature: no signature verifies');
    const unsigned = await cli('verify', faulted, '--key', join(keys(), 'openport-signing.pub.pem'));
    expect(unsigned.code).toBe(1);
    expect(unsigned.stdout).toContain('signature: the bundle is unsigned');
  });

  it('a forged result (fail → pass, verdict conformant) with every digest and the statement recomputed still fails, on consistency', () => {
    const dir = copy(faulted);
    const report = JSON.parse(readFileSync(join(dir, FILES.report), 'utf8')) as RunReport;
    const m = JSON.parse(readFileSync(join(dir, FILES.manifest), 'utf8')) as BundleManifest;
    for (const r of report.results) {
      if (r.status !== 'fail') continue;
      r.status = 'pass';
      delete r.message; delete r.expected; delete r.actual; delete r.exchange; delete r.reproduce;
    }
    report.summary.pass += report.summary.fail;
    report.summary.fail = 0;
    report.verdict = 'conformant';
    report.exitCode = 0;
    // Every digest and the statement, recomputed as a forger would.
    const sums = parseSums(readFileSync(join(dir, FILES.sums), 'utf8'));
    const contents = new Map<string, string | Buffer>([...sums.keys()].map((n) => [n, readFileSync(join(dir, n))]));
    contents.set(FILES.report, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(dir, FILES.report), contents.get(FILES.report)!);
    writeFileSync(join(dir, FILES.sums), sumsText(contents));
    writeFileSync(join(dir, FILES.attestation), JSON.stringify(envelopeOf(statementOf(contents, predicateOf(report, m)))));
    const v = verifyBundle(dir);
    expect(v.ok).toBe(false);
    expect(v.problems.some((p) => p.property === 'digest' || p.property === 'subjects')).toBe(false);
    expect(v.problems).toContainEqual(expect.objectContaining({ file: FILES.report, property: 'results[ENV-003]', message: expect.stringMatching(/is pass, but transcript entry \d+ .* answered agent\.(scope|policy)_denied with HTTP 400, not 403/) }));
    expect(sha256(readFileSync(join(dir, FILES.report)))).toBe(parseSums(readFileSync(join(dir, FILES.sums), 'utf8')).get(FILES.report));
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

  it('names a bundle made by another tool version instead of comparing its profiles', () => {
    const dir = copy(faulted);
    const file = join(dir, FILES.manifest);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"version": "[^"]+"/, '"version": "0.0.1-other"'));
    const v = verifyBundle(dir);
    expect(v.notes.join('\n')).toContain('made by another tool version (0.0.1-other');
  });
});

describe('verify --replay', () => {
  it('reproduces the verdict against the same runtime', async () => {
    const r = await cli('verify', faulted, '--replay');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('verdict reproduced (not-conformant)');
  }, 60_000);

  it('reports the requirement that changed against a runtime with a fault, and exits 1 on the verdict', async () => {
    const r = await cli('verify', clean, '--replay', '--fault', 'env-status-mismatch');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('≠ ENV-003: was pass, now fail');
    expect(r.stdout).toContain('verdict was conformant, now not-conformant');
  }, 60_000);
});


describe('a bundle of a server over HTTP (loopback)', () => {
  let served: Served | undefined;
  afterAll(async () => void (await served?.stop()));

  it('verifies, fingerprints /healthz, holds none of the credentials, and replays against the same URL', async () => {
    // The server's own rate limit (240 a minute), which the demo target file declares: the checks budget their
    // requests by it, and its window is long enough that no check depends on how fast this machine is.
    served = await startServe(['--variant', 'cross-tenant-404', '--variant', 'hidden-tool-unknown']);
    const admin = `authorization: ${served.adminHeaders.authorization}`;
    const env = { OPENPORT_CONFORM_TOKEN: served.agentToken };
    const dir = join(work, 'url');
    const c = await cli(env, 'certify', served.url, '--admin-header', admin, '--safety', 'load', '--out', dir);
    expect([0, 3], c.stderr + c.stdout).toContain(c.code);
    const v = await cli('verify', dir);
    expect(v.code, v.stdout).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, FILES.manifest), 'utf8')) as BundleManifest;
    expect(m.target.url).toBe(served.url);
    expect(m.target.fingerprint.healthz).toHaveLength(1);
    const adminToken = served.adminHeaders.authorization!.replace(/^Bearer /, '');
    for (const f of files(dir)) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text.includes(served.agentToken) || text.includes(adminToken), f).toBe(false);
    }
    // The replay gets a key of its own: the certify run's key has used part of this minute's share of the rate limit.
    const minted = await fetch(`${served.url}/api/agent-admin/v1/apps/${served.appId}/keys`, { method: 'POST', headers: { ...served.adminHeaders, 'content-type': 'application/json' }, body: '{}' });
    const replayToken = ((await minted.json()) as { data: { token: string } }).data.token;
    const r = await cli({ OPENPORT_CONFORM_TOKEN: replayToken }, 'verify', dir, '--replay', served.url, '--admin-header', admin);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('verdict reproduced');
  }, 120_000);
});
