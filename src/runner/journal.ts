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
import { closeSync, createReadStream, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { isCredentialHeader, type SecretMatcher } from '../protocol/redact.js';
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

/** Lines waiting to be written reach the file at this size at the latest (else at the event loop's next turn). */
const FLUSH_BYTES = 64 * 1024;
/** Journals with lines not yet on disk: a process that exits (even on an uncaught exception) writes them first. */
const unflushed = new Set<Journal>();
let exitHookSet = false;

/**
 * Appends redacted exchanges to `file` (or only counts them when `file` is undefined). Lines are written
 * synchronously in batches: those of one turn of the event loop together (at most FLUSH_BYTES apart), before
 * anything reads the file back (flush), at close, and when the process exits for any reason Node still runs
 * its exit handlers for. Only a process ended by a signal it does not handle (SIGKILL, SIGHUP, …) or by running
 * out of memory loses the lines of its last turn; its journal then has no end line and reads as truncated
 * either way. A write that fails (a full disk) stops the journal: the file is cut back to its last whole line,
 * the journal says why (summary().error) and is truncated, and nothing throws, so the checks and the run's
 * cleanup go on.
 */
export class Journal {
  private fd: number | undefined;
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
  /** Sequence numbers handed out: every exchange gets one, written or not, so a finding can cite it. */
  private sequence = 0;
  private entries = 0;
  private dropped = 0;
  private closed = false;

  constructor(
    readonly file: string | undefined,
    private readonly opts: {
      target: string;
      maxBytes?: number;
      /** Everything to redact, and the credentials whose echo in a response is counted; it grows as the run learns tokens. */
      secrets: SecretMatcher;
    },
  ) {
    if (file !== undefined) {
      try {
        // The report directory is made here, when the run starts, not when its options are read.
        mkdirSync(dirname(file), { recursive: true });
        this.fd = openSync(file, 'w', 0o600);
      } catch (e) {
        throw new ToolError(`cannot write the exchange journal ${file}: ${(e as Error).message}`, 2);
      }
      const header: JournalHeader = { type: 'header', format: JOURNAL_FORMAT, version: JOURNAL_VERSION, target: opts.target, startedAt: new Date().toISOString(), maxBytes: this.maxBytes };
      this.write(`${JSON.stringify(header)}\n`);
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
    if (this.fd === undefined) {
      // No file: only counted, nothing to redact.
      if (this.file === undefined) this.entries++;
      return seq;
    }
    if (this.dropped > 0) {
      this.dropped++;
      return seq;
    }
    const r = (s: string) => this.opts.secrets.redact(s);
    // The audit listing is bulk by nature: a server's history (all of it, on some servers) is not evidence
    // of this run, so its bodies never spend the journal's budget (a digest, a size and a sample instead).
    const bulk = request.bulk === true || isAuditRoute(request.path);
    const entry: JournalEntry = {
      type: 'exchange',
      // Equal to the count of entries written so far plus one: the journal stops at its first drop.
      seq,
      ...(request.check !== undefined ? { check: request.check, step: request.step } : {}),
      startedAt: new Date().toISOString(),
      durationMs: 'exchange' in outcome ? Math.round(outcome.exchange.durationMs) : Math.round(outcome.durationMs),
      request: { method: request.method, path: r(request.path), headers: redactHeaders(request.headers, r), ...(request.body !== undefined ? keptBody(r(request.body), bulk) : {}) },
      ...('exchange' in outcome ? { response: this.response(outcome.exchange, bulk) } : { error: r(outcome.error) }),
    };
    const line = `${JSON.stringify(entry)}\n`;
    const bytes = Buffer.byteLength(line);
    // Room is kept for the end line; past the cap the journal stops, so it never has holes, only a cut.
    if (this.size + bytes + 512 > this.maxBytes) {
      this.dropped = 1;
      return seq;
    }
    this.write(line, bytes, true);
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

  private response(ex: Exchange, bulk: boolean): NonNullable<JournalEntry['response']> {
    const { status, headers, text } = ex.response;
    // One pass per value redacts it and counts the credentials it carried before redaction; a credential
    // header, kept as its scheme alone, is only counted.
    let echoedHeaders = 0;
    const redacted = redactHeaders(headers, (v) => {
      const scanned = this.opts.secrets.scan(v);
      echoedHeaders += scanned.echoes;
      return scanned.text;
    });
    for (const [k, v] of Object.entries(headers)) if (isCredentialHeader(k)) echoedHeaders += this.opts.secrets.echoes(v);
    const scanned = this.opts.secrets.scan(text);
    const echoed = { headers: echoedHeaders, body: scanned.echoes };
    const framing = ex.response.framing ? { framing: { reason: ex.response.framing.reason, ...(ex.response.framing.firstLine !== undefined ? { firstLine: this.opts.secrets.scan(ex.response.framing.firstLine).text } : {}) } } : {};
    const out = { status, headers: redacted, ...(echoed.headers + echoed.body > 0 ? { echoed } : {}), ...framing };
    // Only a success envelope is elided: an error, a 5xx, a body that is not an envelope or that echoed a
    // credential is what the journal-wide checks (ENV-002..005) fail on, so it stays whole.
    if (bulk && status >= 200 && status < 300 && echoed.body === 0 && scanned.text.length > ELIDED_SAMPLE && isSuccessEnvelope(ex.response.json)) {
      return { ...out, ...keptBody(scanned.text, true), envelope: { ok: true, code: (ex.response.json as { code: string }).code } };
    }
    return { ...out, body: scanned.text };
  }

  /** Record a check's outcome (after its last request). Not an exchange: it counts in no entry total. */
  checked(outcome: Omit<JournalCheck, 'type' | 'through'>): void {
    if (this.closed || this.fd === undefined || this.dropped > 0) return;
    const line = `${JSON.stringify({ type: 'check', ...outcome, through: this.sequence } satisfies JournalCheck)}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.size + bytes + 512 > this.maxBytes) {
      this.dropped = 1;
      return;
    }
    this.write(line, bytes);
  }

  summary(): JournalSummary {
    return { file: this.file ?? null, entries: this.entries, dropped: this.dropped, bytes: this.size, truncated: this.dropped > 0, ...(this.failure !== undefined ? { error: this.failure } : {}) };
  }

  /** Write the end line and close. Idempotent. */
  close(): JournalSummary {
    if (!this.closed) {
      this.closed = true;
      const s = this.summary();
      if (this.fd !== undefined) {
        const end: JournalEnd = { type: 'end', finishedAt: new Date().toISOString(), entries: s.entries, dropped: s.dropped, bytes: s.bytes, truncated: s.truncated };
        this.write(`${JSON.stringify(end)}\n`);
        this.flush();
        const fd = this.fd;
        // Gone before a failed close is recorded: the number may already belong to another file, never to cut.
        this.fd = undefined;
        try {
          closeSync(fd);
        } catch (e) {
          // A file system may report a failed write only at close.
          this.stop(e as Error, 0);
        }
      }
    }
    return this.summary();
  }

  /** Write every line appended so far to the file (before reading it back while the run goes on). */
  flush(): void {
    unflushed.delete(this);
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
  }

  /**
   * A write failed: nothing more is written, the batch's entries are dropped, and the part of the batch that
   * reached the file before the failure is cut off, so the file ends with a whole line (a reader sees a
   * journal without its end line: truncated).
   */
  private stop(e: Error, lost: number): void {
    this.failure ??= `cannot write the exchange journal ${this.file}: ${e.message}`;
    this.entries -= lost;
    this.dropped += Math.max(lost, 1);
    try {
      if (this.fd !== undefined) ftruncateSync(this.fd, this.onDisk);
    } catch {
      // The file keeps a part of a line: readJournal then refuses it as unreadable (exit 2), never as complete.
    }
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
    if (!exitHookSet) {
      exitHookSet = true;
      process.on('exit', () => {
        for (const j of unflushed) j.flush();
      });
    }
    unflushed.add(this);
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
