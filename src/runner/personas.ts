/**
 * Test personas: fresh apps provisioned through the admin plane. The registry remembers every app the run
 * created (by ctx.persona or directly by ctx.admin.createApp) and every token it was handed, so the run
 * can revoke them at the end and redact them everywhere.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { ToolError, type AdminClient, type AgentClient, type CreatedApp, type Exchange, type Persona, type PersonaSpec } from '../kit/check.js';
import { AuditReads, itemsOf, type AdminHooks } from '../kit/clients.js';
import { ADMIN_BASE } from '../protocol/types.js';
import { timestampMs } from '../protocol/schemas.js';
import type { ResolvedTarget } from '../kit/target.js';

/** What a run's cleanup revoked, and what it could not (app ids, or a phrase naming apps it could not list). */
export interface CleanupOutcome {
  revoked: string[];
  failed: string[];
}

/** Cleanup has a budget of its own, small and fixed: a run that was stopped must still end soon after. */
export const CLEANUP_BUDGET_MS = 5_000;

const MARKER = /^opc-run-[0-9a-f]{12}$/;

/** A fresh run marker: `opc-run-` and 12 hex digits (PersonaRegistry says what it marks). */
export function runMarker(): string {
  return `opc-run-${randomBytes(6).toString('hex')}`;
}

export class PersonaRegistry {
  private readonly apps = new Map<string, { revoked: boolean }>();
  private readonly tokens = new Set<string>();
  private readonly listeners: ((token: string) => void)[] = [];
  private unanswered = 0;

  /**
   * The run's marker, in the name of every app the run creates: the cleanup lists the target's apps and
   * revokes every active one carrying it, also one whose create answer never came (a timeout, an interrupt).
   */
  constructor(readonly marker = runMarker()) {
    // A marker the listing cannot tell from other names would revoke apps that are not the run's.
    if (!MARKER.test(marker)) throw new Error(`a run marker is opc-run- and 12 hex digits, not ${JSON.stringify(marker)}`);
  }

  readonly hooks: AdminHooks = {
    auditReads: new AuditReads((appId) => this.apps.has(appId)),
    appName: (name) => {
      this.unanswered++;
      return `${name} ${this.marker}`;
    },
    createAnswered: () => void this.unanswered--,
    appCreated: (app) => void this.apps.set(app.appId, { revoked: false }),
    appRevoked: (appId) => {
      const a = this.apps.get(appId);
      if (a) a.revoked = true;
    },
    secret: (token) => {
      if (this.tokens.has(token)) return;
      this.tokens.add(token);
      for (const l of this.listeners) l(token);
    },
  };

  /** Call `listener` with every token handed out from now on (the run's redaction learns them as they come). */
  onSecret(listener: (token: string) => void): void {
    this.listeners.push(listener);
  }

  secrets(): string[] {
    return [...this.tokens];
  }

  createdApps(): string[] {
    return [...this.apps.keys()];
  }

  /**
   * Revoke every app of the run still active: those it saw created and, from the target's own listing, every
   * active one whose name carries the marker. All at once, and all bounded by `signal` (the cleanup budget):
   * what is not revoked by then is reported as failed. Apps a check already revoked count as revoked.
   */
  async cleanup(admin: AdminClient | undefined, signal: AbortSignal = AbortSignal.timeout(CLEANUP_BUDGET_MS)): Promise<CleanupOutcome> {
    // One listener per app revoked at once, beside the transport's own.
    setMaxListeners(10_000, signal);
    const done = new Set([...this.apps].filter(([, a]) => a.revoked).map(([id]) => id));
    // In the order the run created them, then those only the listing found: the report reads the same each run.
    const order = [...this.apps.keys()];
    const notes: string[] = [];
    if (admin && (this.apps.size > 0 || this.unanswered > 0)) {
      try {
        for (const id of await bounded(this.listMarked(admin), signal)) if (!order.includes(id)) order.push(id);
      } catch {
        // Without the listing, an app whose create was never answered cannot be named: say so.
        if (this.unanswered > 0) notes.push(`${this.unanswered} app(s) named "… ${this.marker}" whose creation was not answered (listing the apps failed)`);
      }
    }
    const revoke = (ids: string[]) => Promise.all(ids.filter((id) => !done.has(id)).map(async (appId) => {
      if (!admin) return;
      try {
        await bounded(admin.revokeApp(appId), signal);
        done.add(appId);
      } catch {
        // reported as failed below
      }
    }));
    await revoke(order);
    // A create whose answer never came may still be under way on the server (its request was on the wire when the
    // run stopped, and the listing overtook it): the listing is read once more a moment later.
    if (admin && this.unanswered > 0 && notes.length === 0) {
      try {
        await delay(LATE_CREATE_MS, undefined, { signal });
        const late = (await bounded(this.listMarked(admin), signal)).filter((id) => !order.includes(id));
        order.push(...late);
        await revoke(late);
      } catch {
        notes.push(`${this.unanswered} app(s) named "… ${this.marker}" whose creation was not answered may be active (listing the apps again failed, or the cleanup budget ran out first)`);
      }
    }
    return { revoked: order.filter((id) => done.has(id)), failed: [...order.filter((id) => !done.has(id)), ...notes] };
  }

  /** The ids of the target's active apps whose name carries the marker. */
  private async listMarked(admin: AdminClient): Promise<string[]> {
    const ex = await admin.request({ method: 'GET', path: `${ADMIN_BASE}/apps`, bulk: true });
    const items = itemsOf(ex);
    if (ex.response.status !== 200 || !items) throw new Error(`GET /apps answered HTTP ${ex.response.status}`);
    return items.flatMap((a) => {
      const app = a as { id?: unknown; name?: unknown; status?: unknown } | null;
      return app && typeof app.id === 'string' && typeof app.name === 'string' && app.name.includes(this.marker) && app.status !== 'revoked' ? [app.id] : [];
    });
  }
}

/** How long after revoking the cleanup lists the apps again when a create was never answered. */
const LATE_CREATE_MS = 300;

/** `work`, or a rejection once `signal` aborts (the request itself is abandoned; the transport closes it). */
function bounded<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The request was already sent: its own failure, when it comes, is abandoned with it (never unhandled).
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/** Lower-case word characters only: persona names end up in service user ids. */
function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'persona';
}

/**
 * With admin credentials and no --token, the run provisions its own agent token: an app holding every scope
 * of the target in its tenant, revoked with the other personas at the end. It writes to the server, so it
 * belongs to the draft safety class; a refusal here is the first sign of wrong admin credentials.
 */
export async function provisionRunToken(admin: AdminClient, target: ResolvedTarget): Promise<CreatedApp> {
  return admin.createApp({
    name: `openport-conform run agent ${randomBytes(3).toString('hex')}`,
    scopes: target.scopes,
    orgId: target.orgId,
    serviceUserId: 'svc_conform_run_agent',
  });
}

export async function provisionPersona(
  admin: AdminClient,
  target: ResolvedTarget,
  spec: PersonaSpec,
  clientFor: (token: string) => AgentClient,
  tag = '',
): Promise<Persona> {
  const shortId = randomBytes(3).toString('hex');
  const created: CreatedApp = await admin.createApp({
    name: `openport-conform ${spec.name}${tag} ${shortId}`,
    scopes: spec.scopes ?? target.scopes,
    orgId: spec.orgId ?? target.orgId,
    ...(spec.actor === 'personal-no-user' ? { scope: 'personal' as const } : { serviceUserId: `svc_conform_${slug(spec.name + tag)}` }),
  });
  if (spec.policy) expectApplied(await admin.setPolicy(created.appId, spec.policy), 'policy', spec.policy, `PATCH /apps/${created.appId}/policy`);
  if (spec.autoExecute) expectApplied(await admin.setAutoExecute(created.appId, spec.autoExecute), 'auto_execute', spec.autoExecute, `PATCH /apps/${created.appId}/auto-execute`);
  return { ...created, name: spec.name, client: clientFor(created.token) };
}

/**
 * True when every leaf of `want` appears in `got` (extra fields and filled-in defaults are fine). A time sent is
 * found in any form of the same instant, kept to the second at least (a store without milliseconds).
 */
function contains(got: unknown, want: unknown): boolean {
  if (want === null || typeof want !== 'object') return Object.is(got, want) || (typeof want === 'string' && sameInstant(timestampMs(want), timestampMs(got)));
  if (got === null || typeof got !== 'object') return false;
  if (Array.isArray(want)) return Array.isArray(got) && want.every((w) => (got as unknown[]).some((g) => contains(g, w)));
  return Object.entries(want as Record<string, unknown>).every(([k, v]) => v === undefined || contains((got as Record<string, unknown>)[k], v));
}

const sameInstant = (a: number | undefined, b: number | undefined) => a !== undefined && b !== undefined && Math.abs(a - b) < 1000;

/**
 * A server that accepts a policy in another shape would silently ignore ours, and every check relying on it
 * would report the server's correct default behaviour as a failure. When the admin plane echoes the stored
 * configuration, make sure ours is in it; a mismatch is a tool error, never a finding.
 */
function expectApplied(ex: Exchange, field: string, sent: object, what: string): void {
  const data = (ex.response.json as { data?: Record<string, unknown> } | undefined)?.data;
  const echo = data && typeof data === 'object' ? data[field] : undefined;
  if (echo === undefined || echo === null || typeof echo !== 'object') return;
  if (!contains(echo, sent)) {
    throw new ToolError(`${what} was accepted but the stored ${field} it echoes does not contain what was sent (${JSON.stringify(sent).slice(0, 200)}); this server may expect another shape — a target file cannot fix that yet, please report it`, 3);
  }
}
