import { Finding, Skip, type CheckContext, type CheckDef, type Exchange, type Persona } from '../../src/kit/check.js';
import { describe, expectSuccess, fail, isRefusal } from '../../src/kit/expect.js';
import { MAX_PAGES } from '../../src/kit/helpers.js';
import { rangeReader } from './abac-004.js';

const DAY = 86_400_000;

/** Redacted in any form (the brief fixes none): gone, null, emptied, a marker (of any type), or a value that no longer carries the original. */
function isRedacted(v: unknown, original?: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  // A marker of another type ({"redacted": true}) carries no part of the original.
  if (typeof v !== 'string') return original !== undefined && v !== original && !JSON.stringify(v).includes(typeof original === 'string' ? original : JSON.stringify(original));
  if (/redact/i.test(v) || v.includes('*') || v.includes('•')) return true;
  return typeof original === 'string' && original.length >= 4 && v !== original && !v.includes(original);
}

/** `bounds` as the query text it adds (", startDate=…&endDate=…"), or '' without any. */
function boundsText(bounds: Record<string, string>): string {
  const q = Object.entries(bounds).map(([k, v]) => `${k}=${v}`).join('&');
  return q ? `, ${q}` : '';
}

/**
 * The bounds of the target's date window (target.dateRange) that hold every dated row of `rows` and today: a day
 * beyond each end, in the form the windowed read accepts (rangeReader). Undefined, with a partial pass, where the
 * rows carry no date or the server refuses the dated read of the full key (no policy bounds its window).
 */
async function boundsOver(ctx: CheckContext, p: Persona, rows: Map<string, any>): Promise<Record<string, string> | undefined> {
  const { tool, startParam, endParam, field } = ctx.target.dateRange;
  const times = [...rows.values()].map((r) => (typeof r?.[field] === 'string' ? Date.parse(r[field]) : NaN)).filter((t) => !Number.isNaN(t));
  if (times.length === 0) {
    ctx.partial(`no row of ${tool} carries a parsable ${field}: a read naming ${startParam}/${endParam} was not judged`);
    return undefined;
  }
  const now = ctx.now();
  const startDays = Math.min(0, Math.floor((Math.min(...times) - now) / DAY)) - 1;
  const endDays = Math.max(0, Math.ceil((Math.max(...times) - now) / DAY)) + 1;
  const reader = rangeReader(ctx, p.client);
  const ex = await reader.range(startDays, endDays);
  const form = reader.format()[1];
  const bounds = { [startParam]: form(now + startDays * DAY), [endParam]: form(now + endDays * DAY) };
  if (isRefusal(ex)) {
    ctx.partial(`${tool}${boundsText(bounds)} was refused for a key without a date policy (${describe(ex)}): a read naming date bounds was not judged`);
    return undefined;
  }
  return bounds;
}

/**
 * The rows of the target's sensitive read by id, as persona `p` sees them. Every page (bounded, as readBack
 * pages): whether the first page holds a row with a sensitive value depends on what the run has written
 * before, so judging one page would make the verdict the seed's. `pageSize` overrides the read's own.
 */
async function rowsOf(ctx: CheckContext, p: Persona, pageSize?: number, bounds: Record<string, string> = {}): Promise<{ ex: Exchange; byId: Map<string, any>; paged: boolean; pageSize?: number }> {
  const { sensitiveRead, readBack } = ctx.target;
  const query = { ...sensitiveRead.query, ...(pageSize === undefined ? {} : { pageSize }), ...bounds };
  const byId = new Map<string, any>();
  let ex;
  let paged = false;
  let size: number | undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    ex = await p.client.read(sensitiveRead.tool, page === 1 ? query : { ...query, page });
    const data = expectSuccess<any>(ex, `${sensitiveRead.tool} (${p.name}${pageSize === undefined ? '' : `, pageSize ${pageSize}`}${boundsText(bounds)})`);
    if (typeof data?.pageSize === 'number') size ??= data.pageSize;
    const items: any[] = Array.isArray(data?.[readBack.itemsField]) ? data[readBack.itemsField] : [];
    for (const it of items) byId.set(String(it?.[readBack.idField]), it);
    paged ||= typeof data?.hasMore === 'boolean' && typeof data?.pageSize === 'number';
    if (data?.hasMore !== true || items.length === 0) break;
  }
  return { ex: ex!, byId, paged, ...(size === undefined ? {} : { pageSize: size }) };
}

/** The rows of the target's sensitive read by id, as a fresh persona with `policy` sees them (rowsOf). */
export async function sensitiveRows(ctx: CheckContext, name: string, policy?: { data: { allow_sensitive_fields: boolean } }): Promise<{ ex: Exchange; byId: Map<string, any> }> {
  return rowsOf(ctx, await ctx.persona({ name, policy }));
}

/** The fields of `fields` the server demonstrably redacts: a restricted read hides a value the full read shows. */
export async function redactedByServer(ctx: CheckContext, fields: readonly string[], label: string): Promise<Set<string>> {
  const full = await sensitiveRows(ctx, `${label} full`);
  const restricted = await sensitiveRows(ctx, `${label} restricted`, { data: { allow_sensitive_fields: false } });
  const out = new Set<string>();
  for (const [id, row] of full.byId) {
    const other = restricted.byId.get(id);
    for (const f of fields) if (other && row?.[f] !== undefined && row[f] !== null && other[f] !== row[f] && isRedacted(other[f], row[f])) out.add(f);
  }
  return out;
}

export const abac005: CheckDef = {
  id: 'ABAC-005',
  safety: 'draft',
  needs: ['admin'],
  description: 'With allow_sensitive_fields false, every sensitive field a full key sees is absent, null or a redaction marker, on every page (a paged read is read again in small pages) and in a read naming both bounds of its date window (target.dateRange, where it is the sensitive read).',
  async run(ctx) {
    const { sensitiveRead, sensitiveFields } = ctx.target;
    const fullKey = await ctx.persona({ name: 'abac005 full' });
    const restrictedKey = await ctx.persona({ name: 'abac005 restricted', policy: { data: { allow_sensitive_fields: false } } });
    const full = await rowsOf(ctx, fullKey);
    const restricted = await rowsOf(ctx, restrictedKey);
    const leaks = new Map<string, { field: string; text: string; ex: Exchange }>();
    /** Fields the restricted key sees redacted on some row (any field, not only the listed ones). */
    const redactedSomewhere = new Set<string>();
    /** Sensitive values compared: each row's field once, whichever pass saw it. */
    const compared = new Set<string>();
    const compare = (fullRows: Map<string, any>, restrictedRows: Map<string, any>, where: string, ex: Exchange) => {
      for (const [id, row] of fullRows) {
        const other = restrictedRows.get(id);
        if (!other) continue;
        for (const [f, v] of Object.entries(row ?? {})) if (v !== null && v !== undefined && other[f] !== v && isRedacted(other[f])) redactedSomewhere.add(f);
        for (const f of sensitiveFields) {
          if (row?.[f] === undefined || row[f] === null) continue;
          compared.add(`${id}.${f}`);
          // The full key's own value is never a redaction, however it looks (a note may contain "*").
          if ((other[f] === row[f] || !isRedacted(other[f], row[f])) && !leaks.has(`${id}.${f}`)) leaks.set(`${id}.${f}`, { field: f, text: `${id}.${f}${where}`, ex });
        }
      }
    };
    compare(full.byId, restricted.byId, '', restricted.ex);
    // A paged read is read again in pages of about a quarter of its rows (below the page size it answered, and at
    // most 50), so that the redaction is seen beyond a first page too: the read's own page size may hold every row.
    const small = Math.min(Math.ceil(full.byId.size / 4), 50, Math.max(1, (full.pageSize ?? 51) - 1));
    if (full.paged && full.byId.size >= 2) {
      const again = async (p: Persona) => rowsOf(ctx, p, small).catch((e: unknown) => {
        // A server may refuse a page size it does not offer (a client error): then only its own pages were judged.
        const status = e instanceof Finding ? e.exchanges[0]?.response.status : undefined;
        if (status !== undefined && status >= 400 && status < 500) return undefined;
        throw e;
      });
      const [fullSmall, restrictedSmall] = [await again(fullKey), await again(restrictedKey)];
      if (fullSmall && restrictedSmall) compare(fullSmall.byId, restrictedSmall.byId, ` (pageSize ${small})`, restrictedSmall.ex);
      else ctx.note(`${sensitiveRead.tool} refused pageSize ${small}: only its own pages were judged`);
    } else ctx.note(`${sensitiveRead.tool} was read in pages of its own size only (its answers carry no pageSize and hasMore, or it has fewer than two rows)`);
    // The same read naming both bounds of its date window, where the sensitive read is the windowed one: a server
    // may take another path once a date is named, and §6's redaction holds on every path.
    const { dateRange } = ctx.target;
    if (dateRange.tool !== sensitiveRead.tool) {
      ctx.partial(`${sensitiveRead.tool} is not the windowed read (target.dateRange.tool is ${dateRange.tool}): a read naming date bounds was not judged`);
    } else {
      const bounds = await boundsOver(ctx, fullKey, full.byId);
      if (bounds) {
        const [fullDated, restrictedDated] = [await rowsOf(ctx, fullKey, undefined, bounds), await rowsOf(ctx, restrictedKey, undefined, bounds)];
        compare(fullDated.byId, restrictedDated.byId, ` (with${boundsText(bounds).slice(1)})`, restrictedDated.ex);
      }
    }
    const observed = compared.size;
    if (!observed) throw new Skip(`no ${sensitiveFields.join('/')} values in ${sensitiveRead.tool} to compare`, '--target <file> with sensitiveRead (a read whose rows carry them) and sensitiveFields');
    ctx.note(`${observed} sensitive value(s) compared`);
    // Which fields are sensitive is the domain's call. With a guessed list (fixed.sensitiveFields false), a server
    // that demonstrably redacts other fields is judged by those, not by the guess: a listed field it never redacts
    // is its choice, one it redacts on some rows and shows on others is a leak.
    const guessed = ctx.target.fixed?.sensitiveFields === false;
    const judged = [...leaks.values()].filter((l) => !guessed || !redactedSomewhere.size || redactedSomewhere.has(l.field));
    if (judged.length < leaks.size) {
      ctx.note(`the server redacts ${[...redactedSomewhere].join(', ')} rather than the demo guess ${sensitiveFields.join(', ')}; set target.sensitiveFields to check a specific list`);
    }
    if (judged.length) fail(`${judged.length} of ${observed} sensitive value(s) returned unredacted`, 'absent, null or a redaction marker', judged.slice(0, 10).map((l) => l.text).join(', '), judged[0]!.ex);
  },
};
