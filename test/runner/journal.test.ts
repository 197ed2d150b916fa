import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/kit/check.js';
import { ELIDED_SAMPLE, Journal, readJournal } from '../../src/runner/journal.js';
import { exchangeFromJournal, InProcessTransport } from '../../src/runner/transport.js';
import { allExchanges } from '../../src/runner/context.js';
import type { Runtime } from '../../src/runtime/types.js';
import { redactSecrets, SecretMatcher } from '../../src/protocol/redact.js';
import { validateAgainst } from '../../src/protocol/schemas.js';
import { rejectionOf } from './fakes.js';

const dir = mkdtempSync(join(tmpdir(), 'opc-journal-'));
const SECRET = 'op_x';

function matcherOf(...secrets: string[]): SecretMatcher {
  const m = new SecretMatcher();
  for (const s of secrets) m.add(s);
  return m;
}

function exchange(body: string, headers: Record<string, string> = {}): Exchange {
  return {
    request: { method: 'POST', path: '/api/agent/v1/actions', headers: { authorization: `Bearer ${SECRET}`, 'x-admin-user': 'adm1' }, body: `{"token":"${SECRET}"}` },
    response: { status: 400, headers: { 'content-type': 'application/json', ...headers }, text: body, json: undefined },
    durationMs: 3,
  };
}

/** Appends five exchanges to `j` and closes it: the exchange operations handed to its writer meanwhile, and its summary. */
function appendFiveAndClose(j: Journal): { handed: unknown[]; s: ReturnType<Journal['close']> } {
  const worker = (j as unknown as { writer: { thread: { worker: import('node:worker_threads').Worker } } }).writer.thread.worker;
  const handed: unknown[] = [];
  const post = worker.postMessage.bind(worker);
  worker.postMessage = (m: unknown) => {
    handed.push(...((m as { ops?: { k: string }[] }).ops ?? []).filter((op) => op.k === 'x'));
    post(m);
  };
  for (let i = 0; i < 5; i++) j.append(exchange('y'.repeat(4000)).request, { exchange: exchange('y'.repeat(4000)) });
  const s = j.close();
  worker.postMessage = post;
  return { handed, s };
}

describe('exchange journal', () => {
  it('streams redacted exchanges with a header and an end line; readJournal gives them back complete', async () => {
    const file = join(dir, 'ok.jsonl');
    const j = new Journal(file, { target: 'http://127.0.0.1:1', secrets: matcherOf(SECRET, 'adm1') });
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

  it('journals open at once share the process\'s writer thread: each file gets its own lines, redacted over its own secrets', async () => {
    const files = [join(dir, 'two-a.jsonl'), join(dir, 'two-b.jsonl')];
    const secrets = ['op_aaaaaaaaaaaaaaaaaaaaaaaa', 'op_bbbbbbbbbbbbbbbbbbbbbbbb'];
    const journals = files.map((f, i) => new Journal(f, { target: 'embedded:', secrets: matcherOf(secrets[i]!) }));
    for (let n = 0; n < 30; n++) {
      journals[n % 2]!.append(exchange(`${n} ${secrets.join(' ')}`).request, { exchange: exchange(`${n} ${secrets.join(' ')}`) });
      if (n === 10) journals[0]!.flush();
    }
    expect(journals.map((j) => j.close())).toMatchObject([{ entries: 15, truncated: false }, { entries: 15, truncated: false }]);
    for (const [i, f] of files.entries()) {
      const back = await readJournal(f);
      expect(back.entries.map((e) => Number(e.response!.body!.split(' ')[0]))).toEqual(Array.from({ length: 15 }, (_, k) => 2 * k + i));
      const text = readFileSync(f, 'utf8');
      expect(text).not.toContain(secrets[i]);
      // The other journal's secret is not this journal's to know: it stays (its shape is redacted by the token rule).
      expect(back.entries.every((e) => e.response!.echoed?.body === 1)).toBe(true);
    }
  });

  it('tags each exchange with the check that sent it and its step, and records each check\'s outcome apart from the entries', async () => {
    const file = join(dir, 'checks.jsonl');
    const j = new Journal(file, { target: 'http://127.0.0.1:1', secrets: matcherOf(SECRET) });
    const ex = exchange('{}');
    j.append({ ...ex.request, check: 'ENV-001', step: 1 }, { exchange: ex });
    j.append(ex.request, { exchange: ex });
    j.checked({ check: 'ENV-001', status: 'fail', steps: 1, exchanges: [1] });
    j.append({ ...ex.request, check: 'ENV-002', step: 1 }, { error: 'reset', durationMs: 1 });
    expect(j.close()).toMatchObject({ entries: 3, truncated: false });
    const read = await readJournal(file);
    expect(read.truncated).toBe(false);
    expect(read.entries.map((e) => [e.seq, e.check, e.step])).toEqual([[1, 'ENV-001', 1], [2, undefined, undefined], [3, 'ENV-002', 1]]);
    // `through`: the last sequence number handed out when the check had its result.
    expect(read.checks).toEqual([{ type: 'check', check: 'ENV-001', status: 'fail', steps: 1, exchanges: [1], through: 2 }]);
  });

  it('stops at its byte cap and says so: truncated in the summary, the end line and readJournal', async () => {
    const file = join(dir, 'cut.jsonl');
    const j = new Journal(file, { target: 'embedded:', maxBytes: 8192, secrets: matcherOf() });
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

  it('past its cap, later exchanges are dropped on the run\'s thread without being handed to the writer, and counted in the summary and the end line', async () => {
    const file = join(dir, 'cut-early.jsonl');
    const j = new Journal(file, { target: 'embedded:', maxBytes: 8192, secrets: matcherOf() });
    for (let i = 0; i < 10; i++) j.append(exchange('x'.repeat(2000)).request, { exchange: exchange('x'.repeat(2000)) });
    // Answered: the writer has met the cap and said so.
    const first = j.summary();
    expect(first.truncated).toBe(true);
    const { handed, s } = appendFiveAndClose(j);
    expect(handed).toEqual([]);
    expect(s).toMatchObject({ truncated: true, entries: first.entries, dropped: 15 - first.entries });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'end', entries: first.entries, dropped: 15 - first.entries, truncated: true });
    expect((await readJournal(file)).entries).toHaveLength(first.entries);
  });

  it('a check line that meets the cap stops the journal too: later exchanges are dropped on the run\'s thread, and the check line counts as no dropped exchange', async () => {
    const sized = new Journal(join(dir, 'sized.jsonl'), { target: 'embedded:', secrets: matcherOf() });
    sized.append(exchange('a'.repeat(100)).request, { exchange: exchange('a'.repeat(100)) });
    const oneExchange = sized.summary().bytes;
    sized.close();
    const file = join(dir, 'cut-by-check.jsonl');
    // Room for the header, one exchange and the end line, not for a check line besides.
    const j = new Journal(file, { target: 'embedded:', maxBytes: oneExchange + 512 + 40, secrets: matcherOf() });
    j.append(exchange('a'.repeat(100)).request, { exchange: exchange('a'.repeat(100)) });
    j.checked({ check: 'ENV-001', status: 'pass', steps: 1, exchanges: [1] });
    expect(j.summary()).toMatchObject({ entries: 1, dropped: 0, truncated: true });
    // Every exchange is in it: the checks that read the whole traffic back read it (no "evidence incomplete").
    const env = { transport: { unobserved: () => 1, observed: () => [] }, journal: j } as unknown as Parameters<typeof allExchanges>[0];
    const back: Exchange[] = [];
    for await (const e of allExchanges(env)) back.push(e);
    expect(back.map((e) => e.response.text)).toEqual(['a'.repeat(100)]);
    const { handed, s } = appendFiveAndClose(j);
    expect(handed).toEqual([]);
    expect(s).toMatchObject({ entries: 1, dropped: 5, truncated: true });
    expect(JSON.parse(readFileSync(file, 'utf8').trimEnd().split('\n').at(-1)!)).toMatchObject({ type: 'end', entries: 1, dropped: 5, truncated: true });
  });

  it('a journal without its end line (the run died) reads as truncated; a foreign file is a usage error', async () => {
    const file = join(dir, 'died.jsonl');
    const j = new Journal(file, { target: 'embedded:', secrets: matcherOf() });
    j.append(exchange('{}').request, { exchange: exchange('{}') });
    j.flush();
    expect((await readJournal(file)).truncated).toBe(true);
    j.close();
    const foreign = join(dir, 'foreign.jsonl');
    writeFileSync(foreign, '{"hello":1}\n');
    const e = await rejectionOf(readJournal(foreign));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(`${foreign}:1`);
  });

  it('hands its lines to a writer thread: on disk unasked, at once on flush(), in order, whole at close', async () => {
    const file = join(dir, 'turns.jsonl');
    const j = new Journal(file, { target: 'embedded:', secrets: matcherOf(SECRET) });
    const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    for (let i = 0; i < 3; i++) j.append(exchange('{}').request, { exchange: exchange('{}') });
    j.flush();
    expect(lines()).toBe(4);
    // Unasked, the writer gets the next line soon and writes it (the file's change is awaited, no clock).
    j.append(exchange('{}').request, { exchange: exchange('{}') });
    await new Promise<void>((done) => {
      const watcher = watch(file, () => check());
      const check = () => {
        if (lines() < 5) return;
        watcher.close();
        done();
      };
      check();
    });
    for (let i = 0; i < 40; i++) j.append(exchange('z'.repeat(4096)).request, { exchange: exchange('z'.repeat(4096)) });
    expect(j.close()).toMatchObject({ entries: 44, truncated: false });
    const back = await readJournal(file);
    expect(back.entries.map((e) => e.seq)).toEqual(Array.from({ length: 44 }, (_, i) => i + 1));
    expect(back.truncated).toBe(false);
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
  });

  it('a writer thread that stops says so: the journal is truncated with the reason, and nothing waits for it', async () => {
    const file = join(dir, 'writer-gone.jsonl');
    const j = new Journal(file, { target: 'embedded:', secrets: matcherOf() });
    j.append(exchange('{}').request, { exchange: exchange('{}') });
    j.flush();
    const worker = (j as unknown as { writer: { thread: { worker: import('node:worker_threads').Worker } } }).writer.thread.worker;
    await worker.terminate();
    await new Promise((done) => setImmediate(done));
    expect(j.append(exchange('{}').request, { exchange: exchange('{}') })).toBe(2);
    expect(j.close()).toMatchObject({ entries: 1, dropped: 1, truncated: true, error: `cannot write the exchange journal ${file}: its writer thread stopped` });
    const back = await readJournal(file);
    expect(back.entries.map((e) => e.seq)).toEqual([1]);
    expect(back.truncated).toBe(true);
  });

  it('a writer thread that cannot start, or ends mid-run, is seen at once by a run waiting for it: truncated, saying so, the header on disk', () => {
    const failing = join(dir, 'writer-throws.mjs');
    writeFileSync(failing, "throw new Error('no writer here');\n");
    const dying = join(dir, 'writer-dies.mjs');
    writeFileSync(dying, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(1));\n");
    for (const writer of [failing, dying]) {
      const file = join(dir, `writer-${writer.endsWith('throws.mjs') ? 'throws' : 'dies'}.jsonl`);
      const j = new Journal(file, { target: 'embedded:', secrets: matcherOf(), writer: pathToFileURL(writer) });
      j.append(exchange('{}').request, { exchange: exchange('{}') });
      // No turn of the event loop in between: only the state shared with the writer can say it ended.
      j.flush();
      expect(j.close(), writer).toMatchObject({ entries: 0, dropped: 1, truncated: true, error: `cannot write the exchange journal ${file}: its writer thread stopped` });
      expect(readFileSync(file, 'utf8')).toMatch(/^\{"type":"header"[^\n]*\n$/);
    }
  });

  it('a writer that ended before anything waits for it, or stalls without ending (out of memory), is said to have stopped', () => {
    const failing = join(dir, 'writer-throws-early.mjs');
    writeFileSync(failing, "throw new Error('no writer here');\n");
    const early = join(dir, 'early.jsonl');
    const j = new Journal(early, { target: 'embedded:', secrets: matcherOf(), writer: pathToFileURL(failing) });
    j.append(exchange('{}').request, { exchange: exchange('{}') });
    // Blocked, with no turn of the event loop, until the writer has marked itself dead: the run's thread
    // learns it from the shared state alone when it next waits.
    const status = (j as unknown as { writer: { thread: { status: Int32Array } } }).writer.thread.status;
    while (Atomics.load(status, 0) === 0) Atomics.wait(status, 0, 0, 50);
    expect(j.close()).toMatchObject({ truncated: true, error: `cannot write the exchange journal ${early}: its writer thread stopped` });

    // A writer that applies one operation, then neither answers nor ends.
    const stuck = join(dir, 'writer-stuck.mjs');
    writeFileSync(stuck, "import { parentPort, workerData } from 'node:worker_threads';\nparentPort.on('message', () => { Atomics.add(workerData.status, 1, 1); Atomics.wait(workerData.status, 0, 0, 5000); });\n");
    const stalled = join(dir, 'stalled.jsonl');
    const k = new Journal(stalled, { target: 'embedded:', secrets: matcherOf(), writer: pathToFileURL(stuck), stallMs: 300 });
    k.append(exchange('{}').request, { exchange: exchange('{}') });
    expect(k.close()).toMatchObject({ truncated: true, error: expect.stringMatching(new RegExp(`^cannot write the exchange journal ${stalled.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: its writer thread made no progress for \\d+ s$`)) });
  });

  it('a journal whose writer stalls (its file a pipe nobody reads) retires that thread: later journals get their own, and its late lines never reach their files', async () => {
    const fifo = join(dir, 'stall.fifo');
    execFileSync('mkfifo', [fifo]);
    // A reader that holds the pipe open and reads nothing until the end: writes block once its buffer is full.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const a = new Journal(fifo, { target: 'embedded:', secrets: matcherOf(), stallMs: 300 });
    for (let i = 0; i < 200; i++) a.append(exchange(`a${i} ${'x'.repeat(2000)}`).request, { exchange: exchange(`a${i} ${'x'.repeat(2000)}`) });
    expect(a.summary()).toMatchObject({ truncated: true, error: expect.stringContaining('its writer thread made no progress') });
    expect(a.close()).toMatchObject({ truncated: true });
    const file = join(dir, 'after-stall.jsonl');
    const b = new Journal(file, { target: 'embedded:', secrets: matcherOf() });
    b.append(exchange('b0').request, { exchange: exchange('b0') });
    b.flush();
    // The pipe drains, over a bounded number of turns: the retired writer goes on with what it held of the
    // first journal, into the pipe only.
    const buf = Buffer.alloc(1 << 16);
    for (let turn = 0; turn < 400; turn++) {
      try {
        readSync(reader, buf);
      } catch {
        // EAGAIN: nothing in the pipe now.
      }
      await new Promise((done) => setImmediate(done));
    }
    b.append(exchange('b1').request, { exchange: exchange('b1') });
    expect(b.close()).toMatchObject({ entries: 2, truncated: false });
    const back = await readJournal(file);
    expect(back.truncated).toBe(false);
    expect(back.entries.map((e) => e.response!.body)).toEqual(['b0', 'b1']);
    closeSync(reader);
  });

  it('a write the disk refuses stops the journal without throwing: it says why and reads as truncated', async () => {
    // /dev/full (Linux) opens and then refuses every write with ENOSPC.
    const j = new Journal('/dev/full', { target: 'embedded:', secrets: matcherOf() });
    j.append(exchange('{}').request, { exchange: exchange('{}') });
    // The turn's flush fails inside setImmediate: caught, not an uncaught exception.
    await new Promise((done) => setImmediate(done));
    expect(j.summary()).toMatchObject({ truncated: true, error: expect.stringMatching(/^cannot write the exchange journal \/dev\/full: .*ENOSPC/) });
    // Later lines are dropped and counted, never thrown.
    expect(j.append(exchange('z'.repeat(70_000)).request, { exchange: exchange('z'.repeat(70_000)) })).toBe(2);
    expect(() => j.flush()).not.toThrow();
    expect(j.close()).toMatchObject({ entries: 0, truncated: true, dropped: 2, bytes: 0, error: expect.stringContaining('ENOSPC') });
  });

  it('a write that stops part-way (the disk fills in the middle of a batch): the file is cut back to its last whole line and reads as truncated', async () => {
    const module = new URL('../../dist/src/runner/journal.js', import.meta.url).href;
    const redact = new URL('../../dist/src/protocol/redact.js', import.meta.url).href;
    const file = join(dir, 'partial.jsonl');
    // A file-size limit of 8 KiB (ulimit -f, in 1 KiB blocks) stands in for a disk that fills: the batch that
    // crosses it is written in part, then refused (EFBIG; the process ignores SIGXFSZ to see the error).
    const script = `process.on('SIGXFSZ', () => {});
      const { Journal } = await import(${JSON.stringify(module)}); const { SecretMatcher } = await import(${JSON.stringify(redact)});
      const j = new Journal(${JSON.stringify(file)}, { target: 'embedded:', secrets: new SecretMatcher() });
      const ex = { request: { method: 'GET', path: '/p', headers: {} }, response: { status: 200, headers: {}, text: 'b'.repeat(700), json: undefined }, durationMs: 1 };
      for (let turn = 0; turn < 10; turn++) {
        for (let i = 0; i < 3; i++) j.append(ex.request, { exchange: ex });
        j.flush();
      }
      console.log(JSON.stringify(j.close()));`;
    const out = execFileSync('bash', ['-c', `ulimit -f 8 && exec "$0" --input-type=module -e "$1"`, process.execPath, script], { encoding: 'utf8' });
    const summary = JSON.parse(out) as { entries: number; dropped: number; bytes: number; truncated: boolean; error?: string };
    expect(summary).toMatchObject({ truncated: true, error: expect.stringMatching(/^cannot write the exchange journal .*partial\.jsonl: /) });
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(Buffer.byteLength(text)).toBe(summary.bytes);
    const back = await readJournal(file);
    expect(back.truncated).toBe(true);
    expect(back.entries.length).toBe(summary.entries);
    expect(summary.entries).toBeGreaterThan(0);
    expect(summary.entries + summary.dropped).toBe(30);
  });

  it('a run that closes its journal leaves nothing on stderr (the descriptor is opened and closed by the same thread)', () => {
    const module = new URL('../../dist/src/runner/journal.js', import.meta.url).href;
    const redact = new URL('../../dist/src/protocol/redact.js', import.meta.url).href;
    const file = join(dir, 'quiet.jsonl');
    const script = `const { Journal } = await import(${JSON.stringify(module)}); const { SecretMatcher } = await import(${JSON.stringify(redact)});
      const j = new Journal(${JSON.stringify(file)}, { target: 'embedded:', secrets: new SecretMatcher() });
      for (let i = 0; i < 3; i++) j.append({ method: 'GET', path: '/p' + i, headers: {} }, { error: 'e', durationMs: 1 });
      await new Promise((done) => setTimeout(done, 50));
      console.log(JSON.stringify(j.close()));
      await new Promise((done) => setTimeout(done, 50));`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toMatchObject({ entries: 3, truncated: false });
  });

  it('a process that ends in the same turn as its last append (an uncaught exception, process.exit) still leaves those lines on disk', () => {
    const module = new URL('../../dist/src/runner/journal.js', import.meta.url).href;
    const redact = new URL('../../dist/src/protocol/redact.js', import.meta.url).href;
    for (const [how, end] of [['throw', "throw new Error('boom')"], ['exit', 'process.exit(7)']] as const) {
      const file = join(dir, `dies-${how}.jsonl`);
      const script = `const { Journal } = await import(${JSON.stringify(module)}); const { SecretMatcher } = await import(${JSON.stringify(redact)});
        const j = new Journal(${JSON.stringify(file)}, { target: 'embedded:', secrets: new SecretMatcher() });
        for (let i = 0; i < 3; i++) j.append({ method: 'GET', path: '/p' + i, headers: {} }, { error: 'e', durationMs: 1 });
        ${end};`;
      try {
        execFileSync(process.execPath, ['--input-type=module', '-e', script], { stdio: 'pipe' });
      } catch {
        // Both end with a non-zero status, by design.
      }
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; request?: { path: string } });
      expect(lines.map((l) => l.request?.path ?? l.type), how).toEqual(['header', '/p0', '/p1', '/p2']);
    }
  });

  it('the in-memory sample is bounded by bytes: 20 responses of 4 MiB leave most out, and unobserved() says how many', async () => {
    const big = 'y'.repeat(4 * 1024 * 1024);
    const runtime = { handle: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: big }), close: async () => undefined } as unknown as Runtime;
    const journal = new Journal(undefined, { target: 'embedded:', secrets: matcherOf() });
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

describe('exchange journal with the secrets of a long run', () => {
  const ok = (data: unknown) => JSON.stringify({ ok: true, code: 'common.success', data });
  const exchangeOf = (status: number, text: string, opts: { body?: string; bulk?: boolean; headers?: Record<string, string> } = {}): Exchange => ({
    request: { method: 'POST', path: '/api/agent/v1/actions', headers: { authorization: 'Bearer op_whatever_is_sent_here' }, ...(opts.body !== undefined ? { body: opts.body } : {}), ...(opts.bulk ? { bulk: true as const } : {}) },
    response: { status, headers: { 'content-type': 'application/json', ...opts.headers }, text, json: (() => { try { return JSON.parse(text); } catch { return undefined; } })() },
    durationMs: 1,
  });

  it('thousands of tokens learnt while it writes: each line as redactSecrets over the secrets known then, echoes as a search per credential', async () => {
    const file = join(dir, 'many.jsonl');
    const secrets = new SecretMatcher();
    secrets.add('admin_operator', false);
    const j = new Journal(file, { target: 'embedded:', secrets });
    // Shaped like agent tokens (every one starts op_), learnt one by one as a run mints them.
    const tokens = Array.from({ length: 2000 }, (_, i) => `op_${createHash('sha256').update(`token ${i}`).digest('base64url')}`);
    const sent: { body: string; header: string; known: string[] }[] = [];
    tokens.forEach((t, i) => {
      secrets.add(t);
      if (i % 10 !== 9) return;
      // An echo of a token learnt long ago and of the newest, the operator's name, and a token not yet known.
      const body = `{"ok":false,"code":"agent.validation_failed","message":"${tokens[i >> 1]} by admin_operator near ${t}; next ${tokens[i + 1] ?? ''}"}`;
      const header = `trace ${tokens[i - 3]}`;
      j.append(exchangeOf(400, body).request, { exchange: exchangeOf(400, body, { headers: { 'x-echo': header } }) });
      sent.push({ body, header, known: ['admin_operator', ...tokens.slice(0, i + 1)] });
    });
    j.close();
    const text = readFileSync(file, 'utf8');
    for (const t of tokens) expect(text.includes(t), t.slice(0, 8)).toBe(false);
    const read = await readJournal(file);
    expect(read.entries).toHaveLength(sent.length);
    read.entries.forEach((e, k) => {
      const { body, header, known } = sent[k]!;
      expect(e.response!.body).toBe(redactSecrets(body, known));
      expect(e.response!.headers['x-echo']).toBe(redactSecrets(header, known));
      const credentials = known.filter((s) => s !== 'admin_operator');
      expect(e.response!.echoed).toEqual({ headers: credentials.filter((c) => header.includes(c)).length, body: credentials.filter((c) => body.includes(c)).length });
    });
  });

  it('keeps bulk success envelopes as sample, size and digest; errors, non-envelopes, echoes and ordinary traffic whole', async () => {
    const file = join(dir, 'bulk.jsonl');
    const secrets = new SecretMatcher();
    secrets.add(SECRET + 'long_enough_token');
    const j = new Journal(file, { target: 'embedded:', secrets });
    const big = ok({ items: Array.from({ length: 20 }, (_, i) => ({ id: `drf_${i}`, title: 'a draft' })) });
    const request = `{"action":"transaction.create","payload":{"title":"${'x'.repeat(100)}"}}`;
    const cases = [
      exchangeOf(200, big, { body: request, bulk: true }),
      exchangeOf(200, big, { body: request }),
      exchangeOf(400, JSON.stringify({ ok: false, code: 'agent.validation_failed', message: 'm'.repeat(100) }), { bulk: true }),
      exchangeOf(500, 'Internal Server Error: '.repeat(5), { bulk: true }),
      exchangeOf(200, JSON.stringify({ ok: true, code: 'common.success', note: 'no data field'.repeat(8) }), { bulk: true }),
      exchangeOf(200, ok({ echo: `${SECRET}long_enough_token`, pad: 'p'.repeat(80) }), { bulk: true, headers: { 'set-cookie': `sid=${SECRET}long_enough_token` } }),
      exchangeOf(200, ok({}), { bulk: true }),
    ];
    for (const ex of cases) j.append(ex.request, { exchange: ex });
    j.close();
    const [bulk, whole, error, crash, notEnvelope, echo, small] = (await readJournal(file)).entries;
    expect(bulk!.response).toMatchObject({ status: 200, body: big.slice(0, ELIDED_SAMPLE), elided: { bytes: Buffer.byteLength(big), sha256: createHash('sha256').update(big).digest('hex') }, envelope: { ok: true, code: 'common.success' } });
    expect(bulk!.request).toMatchObject({ body: request.slice(0, ELIDED_SAMPLE), elided: { bytes: request.length } });
    expect(whole!.response).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: big });
    expect(whole!.request.body).toBe(request);
    for (const e of [error, crash, notEnvelope, echo, small]) expect(e!.response!.elided, e!.response!.body).toBeUndefined();
    // A credential header is kept as its scheme alone, and its echo still counted.
    expect(echo!.response!.echoed).toEqual({ headers: 1, body: 1 });
    expect(echo!.response!.headers['set-cookie']).toBe('…');
    // Read back, an elided success is still judged a success envelope; the whole ones are what they were.
    const back = exchangeFromJournal({ ...bulk!, response: bulk!.response! });
    expect(back.response).toMatchObject({ status: 200, text: big.slice(0, ELIDED_SAMPLE), elided: bulk!.response!.elided });
    expect(validateAgainst('envelope', back.response.json)).toEqual([]);
    expect(exchangeFromJournal({ ...notEnvelope!, response: notEnvelope!.response! }).response.json).toMatchObject({ note: expect.any(String) });
  });
});
