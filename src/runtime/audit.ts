/**
 * The audit log: bounded in memory (oldest dropped), optionally appended to a JSON-lines file in order. Free
 * text from clients is cut (docs/runtime-limits.md), so one event is a bounded line whatever a client sends.
 */
import { createWriteStream, fstatSync, openSync, renameSync, type WriteStream } from 'node:fs';
import type { AuditEvent } from '../protocol/types.js';

export type AuditInput = Pick<AuditEvent, 'action' | 'status'> & Partial<Omit<AuditEvent, 'id' | 'created_at'>>;

/** Longest user agent kept, in characters; longer ones are cut and end with CUT. */
export const AUDIT_USER_AGENT_MAX = 256;
/** Longest string kept anywhere in an event's details (payload fields, names, notes). */
export const AUDIT_TEXT_MAX = 1024;
const CUT = '…';
/** Default size at which the audit file is rotated. */
export const AUDIT_FILE_MAX_BYTES = 64 * 1024 * 1024;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - CUT.length)}${CUT}`;
}

/** `details` with every string cut to AUDIT_TEXT_MAX (a copy only where something was cut). */
function boundDetails(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return cut(v, AUDIT_TEXT_MAX);
  // Details are built by the runtime from validated input (64 levels at most); deeper is not walked.
  if (typeof v !== 'object' || v === null || depth > 64) return v;
  if (Array.isArray(v)) return v.map((x) => boundDetails(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[cut(k, AUDIT_TEXT_MAX)] = boundDetails(x, depth + 1);
  return out;
}

/**
 * Whether boundDetails would change anything in `v`: a string or name to cut, or a value whose copy is not a
 * plain member-by-member copy (a member named __proto__, an object that is neither a plain object nor an array).
 * Reads only, allocates nothing.
 */
function needsBounding(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.length > AUDIT_TEXT_MAX;
  if (typeof v !== 'object' || v === null || depth > 64) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (needsBounding(x, depth + 1)) return true;
    return false;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return true;
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    if (k.length > AUDIT_TEXT_MAX || k === '__proto__' || needsBounding((v as Record<string, unknown>)[k], depth + 1)) return true;
  }
  return false;
}

/** Audit events a runtime keeps in memory unless told otherwise (RuntimeOptions.auditLimit). */
export const AUDIT_EVENTS_HELD = 10_000;
/**
 * The log is trimmed back to its limit once it holds this many times as many events: in batches of a quarter
 * of the limit, since dropping one event per push would move the whole array on every request, and a batch
 * as big as the limit doubles what a long-running server holds.
 */
export const AUDIT_TRIM_AT = 1.25;

export class AuditLog {
  private readonly events: AuditEvent[] = [];
  /** Events trimmed from the front of `events` so far: the event recorded n-th (from 0) is events[n - trimmed]. */
  private trimmed = 0;
  /**
   * Each app's events as their record numbers, oldest first: a listing of one app reads its own events, not the
   * whole log (a server's history does not make one app's audit slower to read).
   */
  private readonly byApp = new Map<string, number[]>();
  private file: WriteStream | undefined;
  private fileError: Error | undefined;
  /** Bytes in the current file (what it held when opened, plus what was written since). */
  private fileBytes = 0;
  /** Files rotated away whose pending writes have not finished yet. */
  private readonly closing: Promise<void>[] = [];

  constructor(
    private readonly limit: number,
    private readonly newId: () => string,
    private readonly nowIso: () => string,
    private readonly filePath?: string,
    private readonly fileMaxBytes = AUDIT_FILE_MAX_BYTES,
  ) {
    if (filePath) this.open();
  }

  /**
   * Appends to the file, creating it 0600: audit lines name users, addresses and actions. The descriptor is
   * opened now, not when the stream gets to it, so a rotation always renames the file this stream writes.
   */
  private open(): void {
    let fd: number;
    try {
      fd = openSync(this.filePath!, 'a', 0o600);
    } catch (e) {
      // Losing the file must not crash request handling; close() reports it.
      this.fileError = e as Error;
      this.file = undefined;
      return;
    }
    const file = createWriteStream('', { fd });
    file.on('error', (e) => (this.fileError = e));
    this.file = file;
    // An existing file is appended to (its mode is left as it is) and counts towards the cap.
    this.fileBytes = fstatSync(fd).size;
  }

  /**
   * Past the size cap the file becomes `<file>.1` (replacing an older one) and a new file starts: at most
   * twice the cap on disk. Writes still pending on the old stream land in the renamed file (same inode), so
   * no line is lost or split.
   */
  private rotate(): void {
    const old = this.file!;
    try {
      renameSync(this.filePath!, `${this.filePath!}.1`);
    } catch (e) {
      this.fileError = e as Error;
      return;
    }
    this.closing.push(new Promise<void>((resolve) => old.end(resolve)));
    this.open();
  }

  /**
   * `ownDetails`: the caller built `e.details` for this event alone and never changes it, so it is stored as it
   * is unless something in it must be cut (the copy is what keeps other callers' live objects out of the log).
   */
  record(e: AuditInput, ownDetails = false): AuditEvent {
    // Field order of the authors' runtime (fixture admin-audit.json).
    const event: AuditEvent = {
      id: this.newId(),
      app_id: e.app_id ?? null,
      key_id: e.key_id ?? null,
      actor_user_id: e.actor_user_id ?? null,
      performed_by_user_id: e.performed_by_user_id ?? null,
      action: e.action,
      status: e.status,
      code: e.code ?? null,
      request_id: e.request_id ?? null,
      draft_id: e.draft_id ?? null,
      execution_id: e.execution_id ?? null,
      ip: e.ip ?? null,
      user_agent: e.user_agent == null ? null : cut(e.user_agent, AUDIT_USER_AGENT_MAX),
      details: e.details == null ? null : ((ownDetails && !needsBounding(e.details) ? e.details : boundDetails(e.details)) as AuditEvent['details']),
      created_at: this.nowIso(),
    };
    if (event.app_id !== null) {
      const mine = this.byApp.get(event.app_id);
      if (mine) mine.push(this.trimmed + this.events.length);
      else this.byApp.set(event.app_id, [this.trimmed + this.events.length]);
    }
    this.events.push(event);
    if (this.events.length >= this.limit * AUDIT_TRIM_AT) this.trim(this.events.length - this.limit);
    if (this.file) {
      const line = `${JSON.stringify(event)}\n`;
      this.file.write(line);
      this.fileBytes += Buffer.byteLength(line);
      if (this.fileBytes >= this.fileMaxBytes) this.rotate();
    }
    return event;
  }

  /** Drops the `count` oldest events, and their numbers from the apps' lists (an app with none left is forgotten). */
  private trim(count: number): void {
    // What splice removed (it rounds a fractional count down), not the count asked for.
    this.trimmed += this.events.splice(0, count).length;
    for (const [app, mine] of this.byApp) {
      let kept = 0;
      while (kept < mine.length && mine[kept]! < this.trimmed) kept++;
      if (kept === mine.length) this.byApp.delete(app);
      else if (kept > 0) mine.splice(0, kept);
    }
  }

  /** Newest first. */
  list(filter: { appId?: string; limit: number }): AuditEvent[] {
    const out: AuditEvent[] = [];
    const oldest = Math.max(0, this.events.length - this.limit);
    if (filter.appId === undefined) {
      for (let i = this.events.length - 1; i >= oldest && out.length < filter.limit; i--) out.push(this.events[i]!);
      return out;
    }
    const mine = this.byApp.get(filter.appId) ?? [];
    for (let i = mine.length - 1; i >= 0 && out.length < filter.limit; i--) {
      const at = mine[i]! - this.trimmed;
      // Not `at < oldest`: a limit that is not a number (NaN) lists nothing, as the scan of the whole log did.
      if (!(at >= oldest)) break;
      out.push(this.events[at]!);
    }
    return out;
  }

  async close(): Promise<void> {
    const file = this.file;
    await Promise.all([...this.closing, ...(file ? [new Promise<void>((resolve) => file.end(resolve))] : [])]);
    if (this.fileError) throw this.fileError;
  }
}
