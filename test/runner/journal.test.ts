import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/kit/check.js';
import { Journal, readJournal } from '../../src/runner/journal.js';
import { InProcessTransport } from '../../src/runner/transport.js';
import type { Runtime } from '../../src/runtime/types.js';
import { rejectionOf } from './fakes.js';

const dir = mkdtempSync(join(tmpdir(), 'opc-journal-'));
const SECRET = 'op_x';

function exchange(body: string, headers: Record<string, string> = {}): Exchange {
  return {
    request: { method: 'POST', path: '/api/agent/v1/actions', headers: { authorization: `Bearer ${SECRET}`, 'x-admin-user': 'adm1' }, body: `{"token":"${SECRET}"}` },
    response: { status: 400, headers: { 'content-type': 'application/json', ...headers }, text: body, json: undefined },
    durationMs: 3,
  };
}

describe('exchange journal', () => {
  it('streams redacted exchanges with a header and an end line; readJournal gives them back complete', async () => {
    const file = join(dir, 'ok.jsonl');
    const j = new Journal(file, { target: 'http://127.0.0.1:1', secrets: () => [SECRET, 'adm1'] });
    j.append(exchange(`echo Bearer ${SECRET} adm1`, { 'x-echo': SECRET }).request, { exchange: exchange(`echo Bearer ${SECRET} adm1`, { 'x-echo': SECRET }) });
    j.append(exchange('').request, { error: 'GET … timed out', durationMs: 5 });
    expect(j.close()).toMatchObject({ file, entries: 2, dropped: 0, truncated: false });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('adm1');
    const read = await readJournal(file);
    expect(read.truncated).toBe(false);
    expect(read.entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(read.entries[0]!.request.headers.authorization).toBe('Bearer …');
    expect(read.entries[0]!.response).toMatchObject({ status: 400, headers: { 'x-echo': '…' } });
    expect(read.entries[1]).toMatchObject({ error: 'GET … timed out' });
    expect(read.end).toMatchObject({ type: 'end', entries: 2, truncated: false });
  });

  it('stops at its byte cap and says so: truncated in the summary, the end line and readJournal', async () => {
    const file = join(dir, 'cut.jsonl');
    const j = new Journal(file, { target: 'embedded:', maxBytes: 8192, secrets: () => [] });
    for (let i = 0; i < 10; i++) j.append(exchange('x'.repeat(2000)).request, { exchange: exchange('x'.repeat(2000)) });
    const s = j.close();
    expect(s.truncated).toBe(true);
    expect(s.entries).toBeGreaterThan(0);
    expect(s.entries + s.dropped).toBe(10);
    expect(readFileSync(file).length).toBeLessThanOrEqual(8192);
    const read = await readJournal(file);
    expect(read.truncated).toBe(true);
    expect(read.entries).toHaveLength(s.entries);
  });

  it('a journal without its end line (the run died) reads as truncated; a foreign file is a usage error', async () => {
    const file = join(dir, 'died.jsonl');
    const j = new Journal(file, { target: 'embedded:', secrets: () => [] });
    j.append(exchange('{}').request, { exchange: exchange('{}') });
    expect((await readJournal(file)).truncated).toBe(true);
    j.close();
    const foreign = join(dir, 'foreign.jsonl');
    writeFileSync(foreign, '{"hello":1}\n');
    const e = await rejectionOf(readJournal(foreign));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(`${foreign}:1`);
  });

  it('the in-memory sample is bounded by bytes: 20 responses of 4 MiB leave most out, and unobserved() says how many', async () => {
    const big = 'y'.repeat(4 * 1024 * 1024);
    const runtime = { handle: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: big }), close: async () => undefined } as unknown as Runtime;
    const journal = new Journal(undefined, { target: 'embedded:', secrets: () => [] });
    const t = new InProcessTransport(runtime, { journal });
    for (let i = 0; i < 20; i++) await t.send({ method: 'GET', path: '/x', headers: {} });
    expect(t.observed().length).toBeLessThan(20);
    expect(t.observed().length).toBeGreaterThan(0);
    expect(t.observed().length + t.unobserved()).toBe(20);
    expect(journal.close()).toMatchObject({ file: null, entries: 20, truncated: false });
  });
});

describe('response parsing', () => {
  it('treats a response nested deeper than MAX_JSON_DEPTH as not JSON, and keeps ordinary deep-ish ones', async () => {
    const bodies = [`{"ok":false,"details":{"x":${'['.repeat(5000)}${']'.repeat(5000)}}}`, `{"a":${'['.repeat(50)}"[[[["${']'.repeat(50)}}`];
    let i = 0;
    const runtime = { handle: async () => ({ status: 401, headers: {}, body: bodies[i++]! }), close: async () => undefined } as unknown as Runtime;
    const t = new InProcessTransport(runtime);
    expect((await t.send({ method: 'GET', path: '/', headers: {} })).response.json).toBeUndefined();
    expect((await t.send({ method: 'GET', path: '/', headers: {} })).response.json).toHaveProperty('a');
  });
});
