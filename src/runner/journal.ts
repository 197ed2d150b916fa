/**
 * The exchange journal: every request a run sends and what came back, redacted, streamed as JSON lines to
 * one file with a byte cap. Memory keeps only a bounded sample (src/engine/transport.ts); this file is the
 * complete record — or says it is not. A certifying reader builds its transcript from `readJournal` and
 * must refuse when `truncated` is true (cap reached, an entry dropped, or the run died before the end line).
 *
 * Format (one JSON object per line):
 *   {"type":"header","format":"openport-conform.journal","version":1,"target":…,"startedAt":…,"maxBytes":…}
 *   {"type":"exchange","seq":1,"startedAt":…,"durationMs":…,"request":{…},"response":{…}}   (or "error" instead of "response")
 *   {"type":"end","finishedAt":…,"entries":N,"dropped":D,"bytes":B,"truncated":false}
 */
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { isCredentialHeader, redactSecrets } from '../protocol/redact.js';
import { ToolError, type Exchange, type HttpExchangeRequest } from '../kit/check.js';

export const JOURNAL_FORMAT = 'openport-conform.journal';
export const JOURNAL_VERSION = 1;
/** Default cap of the journal file: enough for any run against a well-behaved server. */
export const DEFAULT_JOURNAL_BYTES = 64 * 1024 * 1024;
/** Shorter credentials are redacted but their echo is not counted (they match ordinary text by chance). */
const MIN_ECHO = 4;

export interface JournalHeader { type: 'header'; format: typeof JOURNAL_FORMAT; version: number; target: string; startedAt: string; maxBytes: number }

export interface JournalEntry {
  type: 'exchange';
  /** 1, 2, 3, … in the order requests completed; a gap never occurs (the journal stops at the first drop). */
  seq: number;
  startedAt: string;
  durationMs: number;
  request: { method: string; path: string; headers: Record<string, string>; body?: string };
  /**
   * Absent when the request failed (timeout, reset, oversized body); `error` says why. `echoed` counts the
   * run's credentials (4+ characters) the response carried before redaction, so a leak check reading the
   * journal still sees them.
   */
  response?: { status: number; headers: Record<string, string>; body: string; echoed?: { headers: number; body: number } };
  error?: string;
}

export interface JournalEnd { type: 'end'; finishedAt: string; entries: number; dropped: number; bytes: number; truncated: boolean }

/** What a run reports about its journal (report.json `evidence.journal`). */
export interface JournalSummary { file: string | null; entries: number; dropped: number; bytes: number; truncated: boolean }

/**
 * Appends redacted exchanges to `file` (or only counts them when `file` is undefined). Writes are
 * synchronous: the line is on disk before the check sees the response, so a crash loses nothing written.
 */
export class Journal {
  private fd: number | undefined;
  private entries = 0;
  private dropped = 0;
  private bytes = 0;
  private closed = false;

  constructor(
    readonly file: string | undefined,
    private readonly opts: {
      target: string;
      maxBytes?: number;
      /** Everything to redact. */
      secrets: () => readonly string[];
      /** The credentials among them whose echo in a response is counted (default: none). */
      credentials?: () => readonly string[];
    },
  ) {
    if (file !== undefined) {
      try {
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

  /** Record one completed exchange, or a request that got no usable response (`error`). */
  append(request: HttpExchangeRequest, outcome: { exchange: Exchange } | { error: string; durationMs: number }): void {
    if (this.closed) return;
    if (this.fd === undefined) {
      // No file: only counted, nothing to redact.
      if (this.file === undefined) this.entries++;
      return;
    }
    if (this.dropped > 0) {
      this.dropped++;
      return;
    }
    const secrets = this.opts.secrets();
    const r = (s: string) => redactSecrets(s, secrets);
    const entry: JournalEntry = {
      type: 'exchange',
      seq: this.entries + 1,
      startedAt: new Date().toISOString(),
      durationMs: 'exchange' in outcome ? Math.round(outcome.exchange.durationMs) : Math.round(outcome.durationMs),
      request: { method: request.method, path: r(request.path), headers: redactHeaders(request.headers, r), ...(request.body !== undefined ? { body: r(request.body) } : {}) },
      ...('exchange' in outcome ? { response: this.response(outcome.exchange, r) } : { error: r(outcome.error) }),
    };
    const line = `${JSON.stringify(entry)}\n`;
    // Room is kept for the end line; past the cap the journal stops, so it never has holes, only a cut.
    if (this.bytes + Buffer.byteLength(line) + 512 > this.maxBytes) {
      this.dropped = 1;
      return;
    }
    this.entries++;
    this.write(line);
  }

  private response(ex: Exchange, r: (s: string) => string): NonNullable<JournalEntry['response']> {
    const { status, headers, text } = ex.response;
    const creds = (this.opts.credentials?.() ?? []).filter((c) => c.length >= MIN_ECHO);
    const count = (t: string) => creds.filter((c) => t.includes(c)).length;
    const echoed = { headers: Object.values(headers).reduce((n, v) => n + count(v), 0), body: count(text) };
    return { status, headers: redactHeaders(headers, r), body: r(text), ...(echoed.headers + echoed.body > 0 ? { echoed } : {}) };
  }

  summary(): JournalSummary {
    return { file: this.file ?? null, entries: this.entries, dropped: this.dropped, bytes: this.bytes, truncated: this.dropped > 0 };
  }

  /** Write the end line and close. Idempotent. */
  close(): JournalSummary {
    if (!this.closed) {
      this.closed = true;
      const s = this.summary();
      if (this.fd !== undefined) {
        const end: JournalEnd = { type: 'end', finishedAt: new Date().toISOString(), entries: s.entries, dropped: s.dropped, bytes: s.bytes, truncated: s.truncated };
        this.write(`${JSON.stringify(end)}\n`);
        closeSync(this.fd);
        this.fd = undefined;
      }
    }
    return this.summary();
  }

  private write(line: string): void {
    if (this.fd === undefined) return;
    const buf = Buffer.from(line, 'utf8');
    writeSync(this.fd, buf);
    this.bytes += buf.length;
  }
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
        if (h.version !== JOURNAL_VERSION) throw new Error(`journal version ${h.version} is not supported (expected ${JOURNAL_VERSION})`);
        header = h;
      } else if (obj.type === 'exchange') entries.push(obj as JournalEntry);
      else if (obj.type === 'end') end = obj as JournalEnd;
      else throw new Error(`unknown line type ${JSON.stringify(obj.type)}`);
    }
  } catch (e) {
    throw new ToolError(`${file}:${lineNo}: cannot read the exchange journal: ${(e as Error).message}`, 2);
  }
  if (!header) throw new ToolError(`${file}: empty file, not an exchange journal`, 2);
  const truncated = end === undefined || end.truncated || end.entries !== entries.length;
  return { header, end, entries, truncated };
}
