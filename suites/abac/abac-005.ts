import { Finding, Skip, type CheckContext, type CheckDef, type Exchange, type Persona } from '../../src/kit/check.js';
import { expectSuccess, fail } from '../../src/kit/expect.js';
import { MAX_PAGES } from '../../src/kit/helpers.js';

/** Redacted in any form (the brief fixes none): gone, null, emptied, a marker (of any type), or a value that no longer carries the original. */
function isRedacted(v: unknown, original?: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  // A marker of another type ({"redacted": true}) carries no part of the original.
  if (typeof v !== 'string') return original !== undefined && v !== original && !JSON.stringify(v).includes(typeof original === 'string' ? original : JSON.stringify(original));
  if (/redact/i.test(v) || v.includes('*') || v.includes('•')) return true;
  return typeof original === 'string' && original.length >= 4 && v !== original && !v.includes(original);
}

/**
 * The rows of the target's sensitive read by id, as persona `p` sees them. Every page (bounded, as readBack
 * pages): whether the first page holds a row with a sensitive value depends on what the run has written
 * before, so judging one page would make the verdict the seed's. `pageSize` overrides the read's own.
 */
async function rowsOf(ctx: CheckContext, p: Persona, pageSize?: number): Promise<{ ex: Exchange; byId: Map<string, any>; paged: boolean; pageSize?: number }> {
  const { sensitiveRead, readBack } = ctx.target;
  const query = pageSize === undefined ? sensitiveRead.query : { ...sensitiveRead.query, pageSize };
  const byId = new Map<string, any>();
  let ex;
  let paged = false;
  let size: number | undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    ex = await p.client.read(sensitiveRead.tool, page === 1 ? query : { ...query, page });
    const data = expectSuccess<any>(ex, `${sensitiveRead.tool} (${p.name}${pageSize === undefined ? '' : `, pageSize ${pageSize}`})`);
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
  description: 'With allow_sensitive_fields false, every sensitive field a full key sees is absent, null or a redaction marker, on every page (a paged read is read again in small pages).',
  async run(ctx) {
    const { sensitiveRead, sensitiveFields } = ctx.target;
    const fullKey = await ctx.persona({ name: 'abac005 full' });
    const restrictedKey = await ctx.persona({ name: 'abac005 restricted', policy: { data: { allow_sensitive_fields: false } } });
    const full = await rowsOf(ctx, fullKey);
    const restricted = await rowsOf(ctx, restrictedKey);
    const leaks = new Map<string, { field: string; text: string }>();
    /** Fields the restricted key sees redacted on some row (any field, not only the listed ones). */
    const redactedSomewhere = new Set<string>();
    /** Sensitive values compared: each row's field once, whichever pass saw it. */
    const compared = new Set<string>();
    const compare = (fullRows: Map<string, any>, restrictedRows: Map<string, any>, where: string) => {
      for (const [id, row] of fullRows) {
        const other = restrictedRows.get(id);
        if (!other) continue;
        for (const [f, v] of Object.entries(row ?? {})) if (v !== null && v !== undefined && other[f] !== v && isRedacted(other[f])) redactedSomewhere.add(f);
        for (const f of sensitiveFields) {
          if (row?.[f] === undefined || row[f] === null) continue;
          compared.add(`${id}.${f}`);
          // The full key's own value is never a redaction, however it looks (a note may contain "*").
          if ((other[f] === row[f] || !isRedacted(other[f], row[f])) && !leaks.has(`${id}.${f}`)) leaks.set(`${id}.${f}`, { field: f, text: `${id}.${f}${where}` });
        }
      }
    };
    compare(full.byId, restricted.byId, '');
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
      if (fullSmall && restrictedSmall) compare(fullSmall.byId, restrictedSmall.byId, ` (pageSize ${small})`);
      else ctx.note(`${sensitiveRead.tool} refused pageSize ${small}: only its own pages were judged`);
    } else ctx.note(`${sensitiveRead.tool} was read in pages of its own size only (its answers carry no pageSize and hasMore, or it has fewer than two rows)`);
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
    if (judged.length) fail(`${judged.length} of ${observed} sensitive value(s) returned unredacted`, 'absent, null or a redaction marker', judged.slice(0, 10).map((l) => l.text).join(', '), restricted.ex);
  },
};
