/**
 * What a domain plugs into the runtime. The protocol machinery (auth, policy, tenant boundary, drafts,
 * lifecycle, idempotency, audit, admission) stays domain-neutral; a domain only describes its tools and
 * knows its data. Containers (ledgers in the demo) carry the tenant and are what ABAC allow-lists name.
 */
import type { ToolDescriptor, ValidationIssue } from '../protocol/types.js';
import type { Json } from './errors.js';

export interface Container {
  id: string;
  orgId: string;
}

export interface ReadQuery {
  /** The tenant, always decided by the runtime from the app (never from client input). */
  orgId: string;
  /** Containers the data policy allows; null means every container of the tenant. */
  allowedContainerIds: readonly string[] | null;
  /** Set for reads with a containerParam, after existence, tenant and policy checks passed. */
  containerId?: string;
  /** Inclusive epoch-ms bounds for windowed reads. */
  window?: { start: number | null; end: number };
  page: number;
  pageSize: number;
}

export interface DomainRead {
  tool: string;
  /** Path below the agent base, e.g. "/ledgers". */
  path: string;
  auditAction: string;
  /** Query parameter naming the container the read is about (required when set). */
  containerParam?: string;
  /** Query parameters of the date window (e.g. startDate/endDate); the data policy's max_days applies. */
  window?: { startParam: string; endParam: string };
  paged?: boolean;
  run(q: ReadQuery): { items: Json[]; total: number };
}

export interface ActionContext {
  /** high_risk.max_export_rows of the app's auto-execute configuration. */
  maxExportRows: number;
}

export interface DomainAction {
  /** True when the tool binds a State Witness of its target resource. */
  witnessed: boolean;
  /** Every payload field the tool defines; others are dropped before the payload is stored or hashed. */
  fields: readonly string[];
  /**
   * The payload fields bounding the date range the write reads (an export's), which the data policy's
   * max_days bounds as it does a read's (§6); `day`: the fields hold calendar days (YYYY-MM-DD).
   */
  window?: { startField: string; endField: string; day: boolean };
  /** Issues with paths relative to the payload. */
  validate(payload: Json): ValidationIssue[];
  /** The container a (validated) payload touches; undefined when its resource does not exist. */
  locate(payload: Json): Container | undefined;
  /** The server's description of what the action will do; deterministic for an unchanged state. */
  impact(payload: Json): unknown;
  /** Current version snapshot of the target resource (witnessed tools only). */
  witness(payload: Json): Json | undefined;
  /** Performs the write; throws ApiError for a domain failure. */
  execute(payload: Json, ctx: ActionContext): Json;
}

export interface Domain {
  /** The tenant the domain's data lives in: the bootstrap app's org_id and the default of a new app. */
  readonly orgId: string;
  /** What a container is called in messages ("Ledger", "Project"). */
  readonly containerNoun: string;
  /** The data-policy field that allow-lists containers (`allowed_ledger_ids` in the demo). */
  readonly containerPolicyField: string;
  readonly scopes: readonly string[];
  /** Every tool in manifest order. */
  readonly tools: readonly ToolDescriptor[];
  /**
   * JSON Schemas of write payloads the manifest's inputSchema does not describe (the demo's, like the authors'
   * runtime, declares `payload: {type: object}` only): the MCP front gives them to hosts, whose model fills
   * arguments from the schema alone.
   */
  readonly payloadSchemas?: Readonly<Record<string, Record<string, unknown>>>;
  /** Row fields redacted when allow_sensitive_fields is false, each with the value that replaces it. */
  readonly redactions: Readonly<Record<string, unknown>>;
  container(id: string): Container | undefined;
  readonly reads: readonly DomainRead[];
  readonly actions: Readonly<Record<string, DomainAction>>;
}

const ACTIONS_HTTP = { method: 'POST', path: '/api/agent/v1/actions' };
const PAYLOAD_INPUT = { type: 'object', required: ['payload'], properties: { payload: { type: 'object' } } };

/** An output schema with one top-level field. */
export const objectWith = (field: string, type: string) => ({ type: 'object', properties: { [field]: { type } } });

/**
 * The descriptor of a write tool: every write goes through POST /actions and needs confirmation. `payload`,
 * when given, describes the payload's fields in the input schema (the demo, like the authors' runtime, does not).
 */
export function actionDescriptor(
  name: string, description: string, requiredScopes: string[], risk: 'medium' | 'high', output: string,
  payload?: { required: string[]; properties: Record<string, unknown> },
): ToolDescriptor {
  const inputSchema = payload
    ? { ...PAYLOAD_INPUT, properties: { payload: { type: 'object', required: payload.required, properties: payload.properties } } }
    : PAYLOAD_INPUT;
  return {
    kind: 'action',
    name,
    description,
    requiredScopes,
    risk,
    requiresConfirmation: true,
    http: ACTIONS_HTTP,
    inputSchema,
    outputSchema: objectWith(output, 'object'),
  };
}

/** Formula-looking cells are quoted with a leading apostrophe (CSV injection into spreadsheets). */
export function csvCell(s: string): string {
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Consecutive records of a list, read without copying the rest: what a page or an export takes its rows from. */
export interface Span<T> {
  readonly length: number;
  /** The records from `start` to before `end` (0 ≤ start ≤ end, both given), as `Array.prototype.slice` gives them. */
  slice(start: number, end: number): T[];
}

/**
 * Whether `text` is what `Date.prototype.toISOString` gives for an instant of the years 0 to 9999: such texts
 * (all of one width) sort as their instants do. "2026-01-01T24:00:00.000Z" or "2026-02-30" parse, but are not
 * such a text.
 */
function sortsAsInstant(text: string): boolean {
  const ms = Date.parse(text);
  return /^\d{4}-/.test(text) && Number.isFinite(ms) && new Date(ms).toISOString() === text;
}

/**
 * Records grouped by container, each group in listing order as records come and go: newest time first (as the
 * time's ISO text sorts, then by id, both descending). A listing reads its own container's records, already in
 * order, instead of sorting every record the server holds, and a window of times is found by binary search (a
 * long-running server's history does not make a listing slower). A record leaves its group before its time or
 * id changes and comes back after.
 */
export class OrderedGroups<T extends object> {
  private readonly groups = new Map<string, T[]>();
  /** Per group, how many of its records have a time text that does not sort as its instant (sortsAsInstant). */
  private readonly wide = new Map<string, number>();
  private readonly ms: (record: T) => number;

  constructor(
    private readonly time: (record: T) => string,
    private readonly id: (record: T) => string,
  ) {
    this.ms = timeOf(time);
  }

  /** The group's records in order; not to be changed by the caller. */
  of(group: string): readonly T[] {
    return this.groups.get(group) ?? [];
  }

  /** The group's records whose time is inside [from, to] (either end open when null), in order; not copied. */
  window(group: string, from: number | null, to: number | null): Span<T> {
    const all = this.of(group);
    if (from === null && to === null) return all;
    // A text such as "+010000-01-01T00:00:00.000Z" sorts before "2026-…": its group's order is not the order of
    // the instants, so it is scanned.
    if ((this.wide.get(group) ?? 0) > 0) return all.filter((r) => (from === null || this.ms(r) >= from) && (to === null || this.ms(r) <= to));
    // Every time of the group sorts as its instant: instants never increase along the list.
    const first = to === null ? 0 : this.firstWhere(all, (r) => this.ms(r) <= to);
    const length = Math.max(0, (from === null ? all.length : this.firstWhere(all, (r) => !(this.ms(r) >= from))) - first);
    return { length, slice: (start, end) => all.slice(first + Math.min(start, length), first + Math.min(end, length)) };
  }

  add(group: string, record: T): void {
    const list = this.groups.get(group);
    if (list) list.splice(this.place(list, record), 0, record);
    else this.groups.set(group, [record]);
    if (!sortsAsInstant(this.time(record))) this.wide.set(group, (this.wide.get(group) ?? 0) + 1);
  }

  remove(group: string, record: T): void {
    const list = this.groups.get(group) ?? [];
    const at = this.place(list, record);
    // Only a record changed while in its group (or never added) is missing: a bug here, not a client's doing.
    if (list[at] !== record) throw new Error(`OrderedGroups: the record is not where ${group}'s order puts it`);
    list.splice(at, 1);
    if (!sortsAsInstant(this.time(record))) this.wide.set(group, this.wide.get(group)! - 1);
  }

  private order(a: T, b: T): number {
    return this.time(b).localeCompare(this.time(a)) || this.id(b).localeCompare(this.id(a));
  }

  /** The first position whose record does not come before `record` (binary search). */
  private place(list: readonly T[], record: T): number {
    return this.firstWhere(list, (r) => this.order(r, record) >= 0);
  }

  /** The first position where `holds` is true, for a `holds` that is false up to some position and true from there on. */
  private firstWhere(list: readonly T[], holds: (record: T) => boolean): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (holds(list[mid]!)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/**
 * Date.parse of a record's time field, remembered per record while the field keeps its text: a windowed
 * listing compares records of its container on every read.
 */
function timeOf<T extends object>(field: (record: T) => string): (record: T) => number {
  const memo = new WeakMap<T, { text: string; ms: number }>();
  return (record) => {
    const text = field(record);
    let m = memo.get(record);
    if (m === undefined || m.text !== text) memo.set(record, (m = { text, ms: Date.parse(text) }));
    return m.ms;
  };
}

/** One page of an ordered list, as a paged read returns it. */
export function pageOf<T>(all: Span<T>, q: ReadQuery, view: (row: T) => Json): { items: Json[]; total: number } {
  const from = (q.page - 1) * q.pageSize;
  return { items: all.slice(from, from + q.pageSize).map(view), total: all.length };
}
