/** The audit log: bounded in memory (oldest dropped), optionally appended to a JSON-lines file in order. */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { AuditEvent } from '../protocol/types.js';

export type AuditInput = Pick<AuditEvent, 'action' | 'status'> & Partial<Omit<AuditEvent, 'id' | 'created_at'>>;

export class AuditLog {
  private readonly events: AuditEvent[] = [];
  private readonly file: WriteStream | undefined;
  private fileError: Error | undefined;

  constructor(
    private readonly limit: number,
    private readonly newId: () => string,
    private readonly nowIso: () => string,
    filePath?: string,
  ) {
    if (filePath) {
      this.file = createWriteStream(filePath, { flags: 'a' });
      // Losing the file must not crash request handling; close() reports it.
      this.file.on('error', (e) => (this.fileError = e));
    }
  }

  record(e: AuditInput): AuditEvent {
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
      user_agent: e.user_agent ?? null,
      details: e.details ?? null,
      created_at: this.nowIso(),
    };
    this.events.push(event);
    // Trim in batches of a quarter of the limit: dropping one event per push would move the whole array on
    // every request, and a batch as big as the limit doubles what a long-running server holds.
    if (this.events.length >= this.limit * 1.25) this.events.splice(0, this.events.length - this.limit);
    this.file?.write(`${JSON.stringify(event)}\n`);
    return event;
  }

  /** Newest first. */
  list(filter: { appId?: string; limit: number }): AuditEvent[] {
    const out: AuditEvent[] = [];
    const oldest = Math.max(0, this.events.length - this.limit);
    for (let i = this.events.length - 1; i >= oldest && out.length < filter.limit; i--) {
      const e = this.events[i]!;
      if (filter.appId === undefined || e.app_id === filter.appId) out.push(e);
    }
    return out;
  }

  async close(): Promise<void> {
    const file = this.file;
    if (!file) return;
    await new Promise<void>((resolve) => file.end(resolve));
    if (this.fileError) throw this.fileError;
  }
}
