/**
 * The exchange journal: every request a run sends and what came back, redacted, streamed as JSON lines to
 * one file with a byte cap. Memory keeps only a bounded sample (src/runner/transport.ts); this file is the
 * complete record — or says it is not. A certifying reader builds its transcript from `readJournal` and
 * must refuse when `truncated` is true (cap reached, an entry dropped, or the run died before the end line).
 *
 * Format (one JSON object per line):
 *   {"type":"header","format":"openport-conform.journal","version":2,"target":…,"startedAt":…,"maxBytes":…}
 *   {"type":"exchange","seq":1,"check":"ENV-001","step":1,"startedAt":…,"durationMs":…,"request":{…},"response":{…}}   (or "error" instead of "response")
 *   {"type":"check","check":"ENV-001","status":"pass","steps":12,"exchanges":[],"through":340}   (when a check has its result)
 *   {"type":"end","finishedAt":…,"entries":N,"dropped":D,"bytes":B,"truncated":false}
 * Bulk traffic (declared by its sender: a rate-limit burst, fuzz cases past the first ones) keeps only a
 * sample of a body, with its size and digest (`elided`), where no check could fail on the rest.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, ftruncateSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { isCredentialHeader, SecretMatcher } from '../protocol/redact.js';
import { isAuditRoute } from '../protocol/types.js';
import { ToolError, type Exchange, type HttpExchangeRequest, type McpWire } from '../kit/check.js';

export const JOURNAL_FORMAT = 'openport-conform.journal';
/** Version 2 added `elided` bodies; a version 1 journal is a version 2 journal without them. */
export const JOURNAL_VERSION = 2;
const READABLE_VERSIONS = [1, 2];
/** Default cap of the journal file: enough for any run against a well-behaved server. */
export const DEFAULT_JOURNAL_BYTES = 64 * 1024 * 1024;
/** How much of an elided body the journal keeps (its first characters, redacted). */
export const ELIDED_SAMPLE = 64;

/** A body kept only in part: `body` holds its first ELIDED_SAMPLE characters; size and digest are of the whole (redacted) body. */
export interface Elided {
  /** UTF-8 bytes of the whole redacted body. */
  bytes: number;
  /** SHA-256 (hex) of the whole redacted body. */
  sha256: string;
}
/** The journal's name inside a run's report directory (--out). */
export const JOURNAL_FILE = 'exchanges.jsonl';

export interface JournalHeader { type: 'header'; format: typeof JOURNAL_FORMAT; version: number; target: string; startedAt: string; maxBytes: number }

export interface JournalEntry {
  type: 'exchange';
  /** 1, 2, 3, … in the order requests completed; a gap never occurs (the journal stops at the first drop). */
  seq: number;
  /** The check that sent it and its ordinal among that check's requests; absent for the run's own (probes, cleanup). */
  check?: string;
  step?: number;
  startedAt: string;
  durationMs: number;
  request: { method: string; path: string; headers: Record<string, string>; body?: string; elided?: Elided };
  /**
   * Absent when the request failed (timeout, reset, oversized body); `error` says why. `echoed` counts the
   * run's credentials (4+ characters) the response carried before redaction, so a leak check reading the
   * journal still sees them. `elided` only on bulk traffic, and only for a 2xx success envelope that echoed
   * nothing: `envelope` then says what the checks reading the journal need of the body.
   */
  response?: {
    status: number;
    headers: Record<string, string>;
    body: string;
    echoed?: { headers: number; body: number };
    elided?: Elided;
    envelope?: { ok: true; code: string };
    /** A response that was not valid HTTP (status 0, no body): HttpExchangeResponse.framing. */
    framing?: { reason: string; firstLine?: string };
  };
  error?: string;
}

/**
 * A check's outcome as the run decided it (also of one skipped before it started): its status, how many
 * requests it sent (its entries carry steps 1..steps), and the exchanges its finding rests on. What
 * report.json says of the check must agree with it.
 */
export interface JournalCheck {
  type: 'check';
  check: string;
  status: string;
  steps: number;
  exchanges: number[];
  /** The last sequence number handed out when the check had its result: a final check judged the run up to it. */
  through: number;
}

export interface JournalEnd { type: 'end'; finishedAt: string; entries: number; dropped: number; bytes: number; truncated: boolean }

/**
 * What a run reports about its journal (report.json `evidence.journal`). `error` says why the file could not be
 * written (a full disk): the journal stopped there and is truncated.
 */
export interface JournalSummary { file: string | null; entries: number; dropped: number; bytes: number; truncated: boolean; error?: string }

/** Lines waiting to be written reach the file at this size at the latest (else when the writer is idle). */
const FLUSH_BYTES = 64 * 1024;
/** Operations waiting on the run's thread go to the writer at this many characters at the latest, else POST_MS after the first of them. */
const POST_CHARS = 256 * 1024;
const POST_MS = 20;
/**
 * How long the run's thread waits for a writer that shows no progress (its status[1], raised for every
 * operation it applies) before it records the journal as stopped: a thread ended without running its exit handlers (out
 * of memory) never marks itself dead. Longer before the writer's first operation, which waits for it to start.
 */
const WRITER_STALL_MS = 15_000;
const WRITER_START_MS = 120_000;
/** Characters handed to the writer and not yet written: past this the run's thread waits for it (a writer never falls further behind). */
const IN_FLIGHT_CHARS = 32 * 1024 * 1024;
/**
 * The writer thread's entry: it marks its status dead (index 0) when the thread ends for any reason, its
 * module failing to load included, so a run's thread waiting for it (sync) sees that.
 */
const WRITER_BOOT = `const { workerData } = require('node:worker_threads');
process.on('exit', () => Atomics.store(workerData.status, 0, 1));
import(workerData.entry).catch((e) => { Atomics.store(workerData.status, 0, 1); throw e; });`;
import { makeDirs } from '../kit/paths.js';

/**
 * A writer thread: one serves every journal of the process (starting a thread costs about as much as
 * writing a short run's journal). `status` is [1 once the thread ended, the operations it applied], `lost`
 * why it stopped, once the event loop has seen it.
 */
interface WriterThread { worker: Worker; status: Int32Array; replies: MessagePort; lost?: string }
let sharedWriter: WriterThread | undefined;
let journalsStarted = 0;

function startWriter(entry: URL): WriterThread {
  const status = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  // No flags of this process (`--input-type`, `--cpu-prof`, …): they are not the writer's.
  const worker = new Worker(WRITER_BOOT, { eval: true, workerData: { entry: entry.href, status, replies: port2 }, transferList: [port2], execArgv: [] });
  const t: WriterThread = { worker, status, replies: port1 };
  worker.on('error', (e) => (t.lost ??= `its writer thread failed: ${e.message}`));
  worker.on('exit', () => (t.lost ??= 'its writer thread stopped'));
  // Nothing waits for it to end: each journal has it write everything before it closes.
  worker.unref();
  port1.unref();
  return t;
}

/** The process's writer thread (a new one when the last ended), or a thread of its own for a test's writer module. */
function writerThread(entry: URL | undefined): WriterThread {
  if (entry !== undefined) return startWriter(entry);
  if (sharedWriter === undefined || sharedWriter.lost !== undefined || Atomics.load(sharedWriter.status, 0) === 1) {
    sharedWriter = startWriter(new URL('./journal-writer.js', import.meta.url));
  }
  return sharedWriter;
}

/** Journals with operations the writer has not yet answered: a process that exits (even on an uncaught exception) waits for them first. */
const unsynced = new Set<Journal>();
let exitHookSet = false;

/** An exchange as the run's thread hands it to the writer: not yet redacted. */
export interface ExchangeOp {
  k: 'x';
  check?: string;
  step?: number;
  startedAt: string;
  durationMs: number;
  request: { method: string; path: string; headers: Record<string, string>; body?: string };
  bulk: boolean;
  response?: { status: number; headers: Record<string, string>; text: string; framing?: { reason: string; firstLine?: string } };
  /** Whether the response is a success envelope, asked only where the writer may elide its body (bulk, 2xx, longer than the sample). */
  envelope: boolean;
  error?: string;
}

/** What the writer thread is told, in the order it happened on the run's thread. */
export type JournalOp =
  | ExchangeOp
  | { k: 's'; secret: string; credential: boolean }
  | ({ k: 'c' } & Omit<JournalCheck, 'type'>)
  /** Write out everything so far, then answer with the summary (`end`: the end line first, then nothing more). */
  | { k: 'y'; id: number; end?: string; skipped: number };

/** The writer's answer to a `y` operation. */
export interface JournalSync { id: number; summary: Omit<JournalSummary, 'file'> }

/**
 * What the writer is told of a journal when it opens: its file (the header written), and what it shares with
 * the run's thread: `state` [the id of the last `y` answered] and `progress` [entries, bytes] of the whole
 * lines on disk, and [2] 1 once it takes no more entries (past the cap, or after a failed write): the run's
 * thread then drops them without handing them over, and tells it how many it dropped (`skipped` of `y`).
 */
export interface JournalOpen { fd: number; file: string; maxBytes: number; headerBytes: number; state: Int32Array; progress: Float64Array }

/**
 * What the run's thread posts to the writer: a journal to open, operations of an open one, or a journal to let
 * go of without its end line (its file descriptor closed by the writer, after everything before it).
 */
export type WriterMessage = { j: number; open: JournalOpen } | { j: number; ops: JournalOp[] } | { j: number; drop: true };

/**
 * Appends redacted exchanges to `file` (or only counts them when `file` is undefined). The run's thread only
 * numbers each exchange and hands it over; the process's writer thread (journal-writer.ts, a JournalFile per journal) redacts,
 * serializes and writes it, so the run does not wait on any of that. The writer sees every operation in the
 * order it happened, secrets included, so each line is redacted over the secrets known when its exchange was
 * appended, exactly as if it were written at once. Exchanges must not change after they are appended.
 *
 * What is appended reaches the writer POST_MS later (or at once past POST_CHARS), and the file
 * in batches of at most FLUSH_BYTES; flush(), summary() and close() wait until the writer has written
 * everything before them, and so does a process that exits for any reason Node still runs its exit handlers
 * for. Only a process ended by a signal it does not handle (SIGKILL, SIGHUP, …) or by running out of memory
 * loses its last lines; its journal then has no end line and reads as truncated either way. A write that fails
 * (a full disk) stops the journal: the file is cut back to its last whole line, the journal says why
 * (summary().error) and is truncated, and nothing throws, so the checks and the run's cleanup go on.
 */
export class Journal {
  private writer: { thread: WriterThread; j: number; own: boolean; fd: number; state: Int32Array; progress: Float64Array; opened: boolean; ended: boolean } | undefined;
  private ops: JournalOp[] = [];
  private opChars = 0;
  private postTimer: NodeJS.Timeout | undefined;
  private syncs = 0;
  /** Characters handed to the writer since it last answered. */
  private inFlight = 0;
  /** Secrets of the matcher already handed to the writer. */
  private forwarded = 0;
  /** Sequence numbers handed out: every exchange gets one, written or not, so a finding can cite it. */
  private sequence = 0;
  /** Without a file: the exchanges counted. */
  private counted = 0;
  /** Exchanges dropped here, once the writer took no more. */
  private skipped = 0;
  private closed: JournalSummary | undefined;
  /** Why the writer stopped answering, if it did. */
  private lost: string | undefined;

  constructor(
    readonly file: string | undefined,
    private readonly opts: {
      target: string;
      maxBytes?: number;
      /** Everything to redact, and the credentials whose echo in a response is counted; it grows as the run learns tokens. */
      secrets: SecretMatcher;
      /** The writer thread's module (tests give one that fails); by default journal-writer.js beside this one. */
      writer?: URL;
      /** WRITER_STALL_MS, shortened by tests. */
      stallMs?: number;
    },
  ) {
    if (file === undefined) return;
    // The file is opened and its header written here, so that a file that cannot be written is said at once
    // (exit 2), and a journal whose writer never ran still reads as a journal (truncated). The run's thread
    // owns the descriptor and closes it; the writer only writes to it.
    const header: JournalHeader = { type: 'header', format: JOURNAL_FORMAT, version: JOURNAL_VERSION, target: opts.target, startedAt: new Date().toISOString(), maxBytes: this.maxBytes };
    const headerLine = `${JSON.stringify(header)}\n`;
    let fd: number;
    try {
      // The report directory is made here, when the run starts, not when its options are read.
      makeDirs(dirname(file));
      fd = openSync(file, 'w', 0o600);
    } catch (e) {
      throw new ToolError(`cannot write the exchange journal ${file}: ${(e as Error).message}`, 2);
    }
    const state = new Int32Array(new SharedArrayBuffer(4));
    const progress = new Float64Array(new SharedArrayBuffer(24));
    const thread = writerThread(opts.writer);
    const j = ++journalsStarted;
    this.writer = { thread, j, own: opts.writer !== undefined, fd, state, progress, opened: false, ended: false };
    try {
      writeSync(fd, headerLine);
      progress[1] = Buffer.byteLength(headerLine);
    } catch (e) {
      this.lost = `cannot write the exchange journal ${file}: ${(e as Error).message}`;
    }
    // A journal that could not even write its header takes nothing more (post drops its operations).
    if (this.lost === undefined) {
      thread.worker.postMessage({ j, open: { fd, file, maxBytes: this.maxBytes, headerBytes: progress[1], state, progress } } satisfies WriterMessage);
      this.writer.opened = true;
    }
  }

  get maxBytes(): number {
    return this.opts.maxBytes ?? DEFAULT_JOURNAL_BYTES;
  }

  /**
   * Record one completed exchange, or a request that got no usable response (`error`). A request marked
   * `bulk` (its sender declared it bulk traffic) may have its bodies kept as a sample and digest. Returns its
   * sequence number (the entry's `seq`, the transcript's `_seq`); undefined once the journal is closed.
   */
  append(request: HttpExchangeRequest, outcome: { exchange: Exchange } | { error: string; durationMs: number }): number | undefined {
    if (this.closed) return undefined;
    const seq = ++this.sequence;
    if (this.writer === undefined) {
      this.counted++;
      return seq;
    }
    // The writer stopped taking entries (the cap, a failed write): this one is dropped here, not handed over.
    if (this.writer.progress[2] === 1) {
      this.skipped++;
      return seq;
    }
    // The audit listing is bulk by nature: a server's history (all of it, on some servers) is not evidence
    // of this run, so its bodies never spend the journal's budget (a digest, a size and a sample instead).
    const bulk = request.bulk === true || isAuditRoute(request.path);
    const { method, path, headers, body } = request;
    const op: ExchangeOp = {
      k: 'x',
      ...(request.check !== undefined ? { check: request.check, step: request.step } : {}),
      startedAt: new Date().toISOString(),
      durationMs: Math.round('exchange' in outcome ? outcome.exchange.durationMs : outcome.durationMs),
      request: { method, path, headers, ...(body !== undefined ? { body } : {}) },
      bulk,
      envelope: false,
    };
    if ('exchange' in outcome) {
      const { status, headers: h, text, framing } = outcome.exchange.response;
      op.response = { status, headers: h, text, ...(framing ? { framing } : {}) };
      op.envelope = bulk && status >= 200 && status < 300 && text.length > ELIDED_SAMPLE && isSuccessEnvelope(outcome.exchange.response.json);
    } else op.error = outcome.error;
    this.push(op, path.length + (body?.length ?? 0) + (op.response?.text.length ?? 0));
    return seq;
  }

  /**
   * Record an MCP exchange as it went on the wire (Exchange.mcp: the JSON-RPC request and the server's answer,
   * with the same redaction and cap as HTTP); `tag` says which check sent it. `view` is the envelope the
   * checks judged of it (Exchange.response.json): a bulk success keeps a sample of its body as on HTTP.
   */
  appendMcp(wire: McpWire, tag: Pick<HttpExchangeRequest, 'check' | 'step' | 'bulk'> = {}, view?: unknown): number | undefined {
    const request = { ...wire.request, ...tag };
    if (!wire.response) return this.append(request, { error: wire.error ?? 'no answer', durationMs: wire.durationMs });
    return this.append(request, { exchange: { request, response: { ...wire.response, json: view }, durationMs: wire.durationMs } });
  }

  /** Record a check's outcome (after its last request). Not an exchange: it counts in no entry total. */
  checked(outcome: Omit<JournalCheck, 'type' | 'through'>): void {
    if (this.closed || this.writer === undefined) return;
    this.push({ k: 'c', ...outcome, through: this.sequence }, 64);
  }

  /** How the journal stands, with everything appended so far written (it waits for the writer). */
  summary(): JournalSummary {
    if (this.closed) return this.closed;
    if (this.writer === undefined) return { file: null, entries: this.counted, dropped: 0, bytes: 0, truncated: false };
    return this.sync();
  }

  /** Write the end line and close. Idempotent. */
  close(): JournalSummary {
    if (this.closed) return this.closed;
    const w = this.writer;
    if (w === undefined) return (this.closed = this.summary());
    let s = this.sync(new Date().toISOString());
    this.writer = undefined;
    // The descriptor is closed by the thread that may still write to it: here once the writer has written the
    // end line (or never got the file, or ended, or is a test's own, stopped here); else by the writer, after what it still holds of this journal
    // (a descriptor closed here could be reused by another file before the writer is done with it).
    const mine = w.ended || !w.opened || w.own || Atomics.load(w.thread.status, 0) === 1;
    if (!mine) w.thread.worker.postMessage({ j: w.j, drop: true } satisfies WriterMessage);
    // The process's writer goes on serving other journals; a test's own is done.
    if (w.own) w.thread.worker.terminate().catch(() => {});
    if (mine) {
      try {
        closeSync(w.fd);
      } catch (e) {
        // A file system may report a failed write only at close.
        s = { ...s, truncated: true, dropped: Math.max(s.dropped, 1), error: s.error ?? `cannot write the exchange journal ${this.file}: ${(e as Error).message}` };
      }
    }
    return (this.closed = s);
  }

  /** Write every line appended so far to the file (before reading it back while the run goes on). */
  flush(): void {
    if (this.writer !== undefined && !this.closed) this.sync();
  }

  private push(op: JournalOp, chars: number): void {
    // The secrets learnt since the last operation go first, so the writer redacts this one over them too.
    const secrets = this.opts.secrets;
    if (secrets.size > this.forwarded) {
      for (const s of secrets.learntSince(this.forwarded)) this.ops.push({ k: 's', ...s });
      this.forwarded = secrets.size;
    }
    this.ops.push(op);
    this.opChars += chars;
    if (!exitHookSet) {
      exitHookSet = true;
      process.on('exit', () => {
        for (const j of unsynced) j.flush();
      });
    }
    unsynced.add(this);
    if (this.opChars >= POST_CHARS) return this.post();
    // Handing over wakes the writer thread, which costs far more than the copy: a batch goes every POST_MS.
    this.postTimer ??= setTimeout(() => this.post(), POST_MS).unref();
  }

  private post(): void {
    clearTimeout(this.postTimer);
    this.postTimer = undefined;
    if (this.ops.length === 0 || this.writer === undefined) return;
    // A journal that stopped takes nothing more: what is appended is dropped (counted by the summary).
    if (this.lost === undefined) this.writer.thread.worker.postMessage({ j: this.writer.j, ops: this.ops } satisfies WriterMessage);
    this.ops = [];
    this.inFlight += this.opChars;
    this.opChars = 0;
    // A writer that falls behind is waited for: what is handed over and not yet written stays bounded.
    if (this.inFlight > IN_FLIGHT_CHARS) this.sync();
  }

  /**
   * Has the writer write out everything so far (and the end line and close, given `end`), waiting for its
   * answer: the summary. A writer that ended, or made no progress for WRITER_STALL_MS (it never should), leaves
   * the journal stopped and truncated.
   */
  private sync(end?: string): JournalSummary {
    const w = this.writer!;
    const file = this.file ?? null;
    unsynced.delete(this);
    const { status, replies } = w.thread;
    const ended = () => {
      const why = w.thread.lost ?? (Atomics.load(status, 0) === 1 ? 'its writer thread stopped' : undefined);
      if (why !== undefined) this.lost ??= `cannot write the exchange journal ${file}: ${why}`;
      return why !== undefined;
    };
    if (this.lost === undefined && !ended()) {
      const id = ++this.syncs;
      this.ops.push({ k: 'y', id, ...(end !== undefined ? { end } : {}), skipped: this.skipped });
      this.inFlight = 0;
      this.post();
      let beat = Atomics.load(status, 1);
      let since = Date.now();
      for (let acked = Atomics.load(w.state, 0); acked < id && !ended(); acked = Atomics.load(w.state, 0)) {
        Atomics.wait(w.state, 0, acked, 100);
        const now = Date.now();
        if (Atomics.load(status, 1) !== beat) {
          beat = Atomics.load(status, 1);
          since = now;
        } else if (now - since > (beat === 0 ? WRITER_START_MS : (this.opts.stallMs ?? WRITER_STALL_MS))) {
          const why = `its writer thread made no progress for ${Math.round((now - since) / 1000)} s`;
          this.lost = `cannot write the exchange journal ${file}: ${why}`;
          // Retired: the journals still on it stop at once, and the next ones get a thread of their own.
          w.thread.lost ??= why;
          if (sharedWriter === w.thread) sharedWriter = undefined;
          break;
        }
      }
      // Another journal's answer still on the port is one it stopped waiting for: dropped.
      let reply: JournalSync | undefined;
      for (let m = receiveMessageOnPort(replies); m !== undefined; m = receiveMessageOnPort(replies)) {
        const r = m.message as JournalSync & { j: number };
        if (r.j === w.j) reply = r;
      }
      if (reply?.id === id) {
        if (end !== undefined) w.ended = true;
        return { file, ...reply.summary };
      }
      ended();
    }
    // The whole lines the writer said are on disk stay; a writer that ended may have left a part of one.
    const [entries, bytes] = [w.progress[0]!, w.progress[1]!];
    if (Atomics.load(status, 0) === 1) {
      try {
        ftruncateSync(w.fd, bytes);
      } catch {
        // A part of a line stays: readJournal then refuses the file as unreadable (exit 2), never as complete.
      }
    }
    return { file, entries, dropped: Math.max(this.sequence - entries, 1), bytes, truncated: true, error: this.lost };
  }
}

/**
 * The journal's file, on the writer thread: redacts each exchange over the secrets known when it was
 * appended, keeps bulk bodies as sample and digest, writes lines in batches, stops at the byte cap, and on a
 * failed write cuts the file back to its last whole line.
 */
export class JournalFile {
  private pending: string[] = [];
  private pendingBytes = 0;
  private flushQueued = false;
  /** Exchange entries among the pending lines. */
  private pendingEntries = 0;
  /** Bytes of the whole lines the file holds. */
  private onDisk = 0;
  /** Bytes written and waiting to be: what the cap counts. */
  private get size(): number {
    return this.onDisk + this.pendingBytes;
  }
  private failure: string | undefined;
  private readonly secrets = new SecretMatcher();
  private sequence = 0;
  private entries = 0;
  private dropped = 0;
  /** Past the cap (an exchange or a check line did not fit), or a write failed: nothing more is written. */
  private stopped = false;
  /** Exchanges the run's thread dropped itself once this one took no more (`skipped` of its last `y`). */
  private skipped = 0;
  /** Undefined once the end line is written (or the writer is told to stop): nothing more goes to the file. */
  private fd: number | undefined;

  /** `shared.fd` holds the header line already (the run's thread wrote it). */
  constructor(private readonly shared: JournalOpen) {
    this.fd = shared.fd;
    this.onDisk = shared.headerBytes;
  }

  private get maxBytes(): number {
    return this.shared.maxBytes;
  }

  private get file(): string {
    return this.shared.file;
  }

  /** Tells the run's thread what whole lines the file holds (what stays if this thread ends). */
  private published(): void {
    this.shared.progress[0] = this.entries - this.pendingEntries;
    this.shared.progress[1] = this.onDisk;
    this.shared.progress[2] = this.stopped ? 1 : 0;
  }

  apply(op: JournalOp): JournalSync | undefined {
    try {
      if (op.k === 'x') this.exchange(op);
      else if (op.k === 's') this.secrets.add(op.secret, op.credential);
      else if (op.k === 'c') this.checked(op);
      else {
        this.skipped = op.skipped;
        if (op.end !== undefined) this.end(op.end);
        else this.flush();
        return { id: op.id, summary: { entries: this.entries, dropped: this.dropped + this.skipped, bytes: this.size, truncated: this.stopped, ...(this.failure !== undefined ? { error: this.failure } : {}) } };
      }
    } catch (e) {
      // Not a failure any input should cause: the journal stops as on a failed write, and says why.
      this.stop(e as Error, 0);
    }
    return undefined;
  }

  private exchange(op: ExchangeOp): void {
    const seq = ++this.sequence;
    if (this.stopped) {
      this.dropped++;
      return;
    }
    const r = (s: string) => this.secrets.redact(s);
    const { request, bulk } = op;
    const entry: JournalEntry = {
      type: 'exchange',
      // Equal to the count of entries written so far plus one: the journal stops at its first drop.
      seq,
      ...(op.check !== undefined ? { check: op.check, step: op.step } : {}),
      startedAt: op.startedAt,
      durationMs: op.durationMs,
      request: { method: request.method, path: r(request.path), headers: redactHeaders(request.headers, r), ...(request.body !== undefined ? keptBody(r(request.body), bulk) : {}) },
      ...(op.response !== undefined ? { response: this.response(op.response, bulk, op.envelope) } : { error: r(op.error ?? '') }),
    };
    const line = `${JSON.stringify(entry)}\n`;
    const bytes = Buffer.byteLength(line);
    // Room is kept for the end line; past the cap the journal stops, so it never has holes, only a cut.
    if (this.size + bytes + 512 > this.maxBytes) {
      this.dropped++;
      this.stopped = true;
      this.published();
      return;
    }
    this.write(line, bytes, true);
  }

  private response(res: NonNullable<ExchangeOp['response']>, bulk: boolean, envelope: boolean): NonNullable<JournalEntry['response']> {
    const { status, headers, text } = res;
    // One pass per value redacts it and counts the credentials it carried before redaction; a credential
    // header, kept as its scheme alone, is only counted.
    let echoedHeaders = 0;
    const redacted = redactHeaders(headers, (v) => {
      const scanned = this.secrets.scan(v);
      echoedHeaders += scanned.echoes;
      return scanned.text;
    });
    for (const [k, v] of Object.entries(headers)) if (isCredentialHeader(k)) echoedHeaders += this.secrets.echoes(v);
    const scanned = this.secrets.scan(text);
    const echoed = { headers: echoedHeaders, body: scanned.echoes };
    const framing = res.framing ? { framing: { reason: res.framing.reason, ...(res.framing.firstLine !== undefined ? { firstLine: this.secrets.scan(res.framing.firstLine).text } : {}) } } : {};
    const out = { status, headers: redacted, ...(echoed.headers + echoed.body > 0 ? { echoed } : {}), ...framing };
    // Only a success envelope is elided: an error, a 5xx, a body that is not an envelope or that echoed a
    // credential is what the journal-wide checks (ENV-002..005) fail on, so it stays whole.
    if (bulk && status >= 200 && status < 300 && echoed.body === 0 && scanned.text.length > ELIDED_SAMPLE && envelope) {
      return { ...out, ...keptBody(scanned.text, true), envelope: { ok: true, code: 'common.success' } };
    }
    return { ...out, body: scanned.text };
  }

  private checked(op: Omit<JournalCheck, 'type'>): void {
    if (this.fd === undefined || this.stopped) return;
    const { check, status, steps, exchanges, through } = op;
    const line = `${JSON.stringify({ type: 'check', check, status, steps, exchanges, through } satisfies JournalCheck)}\n`;
    const bytes = Buffer.byteLength(line);
    // (A check line is no exchange: the journal stops, and counts no drop for it.)
    if (this.size + bytes + 512 > this.maxBytes) {
      this.stopped = true;
      this.published();
      return;
    }
    this.write(line, bytes);
  }

  /** Nothing more is written, and the file is closed (a journal let go of without its end line). */
  drop(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) return;
    try {
      closeSync(fd);
    } catch {
      // Closed is closed: nothing of the journal depends on it any more.
    }
  }

  /** The end line, written out; then nothing more (the run's thread closes the file). */
  private end(finishedAt: string): void {
    if (this.fd === undefined) return;
    const end: JournalEnd = { type: 'end', finishedAt, entries: this.entries, dropped: this.dropped + this.skipped, bytes: this.size, truncated: this.stopped };
    this.write(`${JSON.stringify(end)}\n`);
    this.flush();
    this.fd = undefined;
  }

  flush(): void {
    if (this.fd === undefined || this.pending.length === 0) return;
    const text = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    const bytes = this.pendingBytes;
    const entries = this.pendingEntries;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingEntries = 0;
    try {
      // The string itself: its UTF-8 bytes are made outside the JS heap. A short write goes on from where it stopped.
      const written = writeSync(this.fd, text);
      if (written < bytes) {
        const rest = Buffer.from(text);
        for (let at = written; at < bytes; ) at += writeSync(this.fd, rest, at);
      }
      this.onDisk += bytes;
    } catch (e) {
      this.stop(e as Error, entries);
    }
    this.published();
  }

  /**
   * A write failed: nothing more is written, the batch's entries are dropped, and the part of the batch that
   * reached the file before the failure is cut off, so the file ends with a whole line (a reader sees a
   * journal without its end line: truncated).
   */
  private stop(e: Error, lost: number): void {
    this.failure ??= `cannot write the exchange journal ${this.file}: ${e.message}`;
    this.entries -= lost;
    this.dropped += lost;
    this.stopped = true;
    try {
      if (this.fd !== undefined) ftruncateSync(this.fd, this.onDisk);
    } catch {
      // The file keeps a part of a line: readJournal then refuses it as unreadable (exit 2), never as complete.
    }
    this.published();
  }

  private write(line: string, bytes = Buffer.byteLength(line), entry = false): void {
    if (this.fd === undefined) return;
    // A line of FLUSH_BYTES or more goes out alone, not copied into one string with the lines before it.
    if (bytes >= FLUSH_BYTES && this.pending.length > 0) this.flush();
    if (this.failure !== undefined) {
      if (entry) this.dropped++;
      return;
    }
    if (entry) {
      this.entries++;
      this.pendingEntries++;
    }
    this.pending.push(line);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= FLUSH_BYTES) return this.flush();
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => {
        this.flushQueued = false;
        this.flush();
      });
    }
  }
}

/** A body as the journal keeps it: whole, or (bulk traffic) its first characters with the size and digest of the whole. */
function keptBody(text: string, bulk: boolean): { body: string; elided?: Elided } {
  if (!bulk || text.length <= ELIDED_SAMPLE) return { body: text };
  // Never split a surrogate pair: the sample stays well-formed text.
  const end = /[\uD800-\uDBFF]/.test(text[ELIDED_SAMPLE - 1]!) ? ELIDED_SAMPLE - 1 : ELIDED_SAMPLE;
  return { body: text.slice(0, end), elided: { bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') } };
}

/**
 * The success branch of the envelope schema (src/protocol/schemas.ts), written out: an object with
 * `ok: true`, `code: "common.success"` and a `data` member. No error envelope can match it (its `ok` is
 * false), so this is what validating against the whole schema says of a body, without an ajv call per bulk
 * response.
 */
function isSuccessEnvelope(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const j = json as { ok?: unknown; code?: unknown };
  return j.ok === true && j.code === 'common.success' && Object.hasOwn(j, 'data');
}

/** Credential headers are replaced whole (whatever their length); other values lose known secrets. */
function redactHeaders(h: Record<string, string>, r: (s: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (!isCredentialHeader(k)) out[k] = r(v);
    else {
      const m = /^(\w+\s+)(.*)$/.exec(v);
      out[k] = m ? `${m[1]}${v.length > m[1].length ? '…' : ''}` : '…';
    }
  }
  return out;
}

/** A journal read back: its header, its end line (absent when the run died), and the entries in order. */
export interface ReadJournal {
  header: JournalHeader;
  end: JournalEnd | undefined;
  entries: JournalEntry[];
  /** Each check's outcome, in the order the checks finished (absent from journals written before checks were recorded). */
  checks: JournalCheck[];
  /** True when the journal is not the complete record of the run: refuse to certify from it. */
  truncated: boolean;
}

/** The exchange entries of a journal as they are on disk now (the run may still be writing it), in order. */
export async function* journalEntries(file: string): AsyncGenerator<JournalEntry> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.startsWith('{"type":"exchange"')) yield JSON.parse(line) as JournalEntry;
  }
}

/** Read a journal file (bounded by its own cap). Throws ToolError (exit 2) when it is not a journal. */
export async function readJournal(file: string): Promise<ReadJournal> {
  let header: JournalHeader | undefined;
  let end: JournalEnd | undefined;
  const entries: JournalEntry[] = [];
  const checks: JournalCheck[] = [];
  let lineNo = 0;
  try {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      lineNo++;
      if (line === '') continue;
      const obj = JSON.parse(line) as { type?: string };
      if (lineNo === 1) {
        const h = obj as JournalHeader;
        if (h.type !== 'header' || h.format !== JOURNAL_FORMAT) throw new Error('not an openport-conform journal (no header line)');
        if (!READABLE_VERSIONS.includes(h.version)) throw new Error(`journal version ${h.version} is not supported (expected ${READABLE_VERSIONS.join(' or ')})`);
        header = h;
      } else if (obj.type === 'exchange') entries.push(obj as JournalEntry);
      else if (obj.type === 'check') checks.push(obj as JournalCheck);
      else if (obj.type === 'end') end = obj as JournalEnd;
      else throw new Error(`unknown line type ${JSON.stringify(obj.type)}`);
    }
  } catch (e) {
    throw new ToolError(`${file}:${lineNo}: cannot read the exchange journal: ${(e as Error).message}`, 2);
  }
  if (!header) throw new ToolError(`${file}: empty file, not an exchange journal`, 2);
  const truncated = end === undefined || end.truncated || end.entries !== entries.length;
  return { header, end, entries, checks, truncated };
}
