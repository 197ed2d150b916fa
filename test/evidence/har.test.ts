// The transcript of a bundle from a journal whose bulk traffic kept only samples of its bodies.
import { describe, expect, it } from 'vitest';
import { fingerprintOf, sha256 } from '../../src/evidence/bundle.js';
import { serverFingerprintOf } from '../../src/runner/fingerprint.js';
import { harOf } from '../../src/evidence/har.js';
import { inTranscript } from '../../src/evidence/verify.js';
import type { JournalEntry, ReadJournal } from '../../src/runner/journal.js';

const manifest = '{"ok":true,"code":"common.success","data":{"tools":[]}}';
const entry = (seq: number, response: JournalEntry['response'], request: Partial<JournalEntry['request']> = {}): JournalEntry => ({
  type: 'exchange', seq, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1,
  request: { method: 'GET', path: '/api/agent/v1/manifest', headers: {}, ...request },
  response,
});
const journal = (entries: JournalEntry[]): ReadJournal => ({
  header: { type: 'header', format: 'openport-conform.journal', version: 2, target: 'http://127.0.0.1:1', startedAt: '', maxBytes: 1 << 26 },
  end: undefined, entries, checks: [], truncated: false,
});

describe('transcript of elided bodies', () => {
  it('holds the sample as text, the whole body in sizes and _elided, and leaves it out of the fingerprint', () => {
    const elided = { bytes: 3140, sha256: 'ab'.repeat(32) };
    const har = harOf(journal([
      entry(1, { status: 200, headers: { 'content-type': 'application/json' }, body: manifest }),
      entry(2, { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true,"code":"common.success","data":{"too', elided, envelope: { ok: true, code: 'common.success' } }),
      entry(3, { status: 400, headers: {}, body: '{"ok":false}' }, { method: 'POST', path: '/api/agent/v1/actions', body: '{"action":"x","pad":"', elided: { bytes: 900, sha256: 'cd'.repeat(32) } }),
    ]), { name: 'openport-conform', version: '0' });
    const [whole, sampled, posted] = har.log.entries;
    expect(whole!.response.content).toEqual({ size: manifest.length, mimeType: 'application/json', text: manifest });
    expect(sampled!.response.content).toMatchObject({ size: 3140, text: '{"ok":true,"code":"common.success","data":{"too', _elided: elided, _envelope: { ok: true, code: 'common.success' } });
    expect(sampled!.response.bodySize).toBe(3140);
    expect(posted!.request.postData).toMatchObject({ text: '{"action":"x","pad":"', _elided: { bytes: 900 } });
    expect(posted!.request.bodySize).toBe(900);
    // Only the bodies held whole are read: a sample is no body.
    const wholeBodies = [{ method: 'GET', path: '/api/agent/v1/manifest', status: 200, body: manifest }, { method: 'POST', path: '/api/agent/v1/actions', status: 400, body: '{"ok":false}' }];
    expect(fingerprintOf(har, 'http://127.0.0.1:1')).toEqual(serverFingerprintOf(wholeBodies));
  });

  it("finds a finding's exchange whose body was elided: by digest when the report holds it whole, by its beginning when cut", () => {
    const body = `{"ok":true,"code":"common.success","data":{"tools":[${'"x",'.repeat(40)}"y"]}}`;
    const har = harOf(journal([entry(1, { status: 200, headers: {}, body: body.slice(0, 64), elided: { bytes: body.length, sha256: sha256(body) }, envelope: { ok: true, code: 'common.success' } })]), { name: 'openport-conform', version: '0' });
    const reported = (text: string) => ({ request: { method: 'GET', path: '/api/agent/v1/manifest', headers: {} }, response: { status: 200, headers: {}, body: text } });
    expect(inTranscript(har, 'http://127.0.0.1:1', reported(body))).toBe(true);
    expect(inTranscript(har, 'http://127.0.0.1:1', reported(`${body.slice(0, 100)}… (${body.length - 100} more characters)`))).toBe(true);
    // Same beginning, another body: the digest tells them apart.
    expect(inTranscript(har, 'http://127.0.0.1:1', reported(body.replace('"y"', '"z"')))).toBe(false);
    expect(inTranscript(har, 'http://127.0.0.1:1', reported(`{"ok":false}`))).toBe(false);
  });
});
