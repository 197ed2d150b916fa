import { Skip, type CheckContext, type CheckDef, type Exchange } from '../../src/kit/check.js';
import { expectSuccess, fail } from '../../src/kit/expect.js';
import { MAX_PAGES } from '../../src/kit/helpers.js';

/** Redacted in any form (the brief fixes none): gone, null, emptied, a marker, or a value that no longer carries the original. */
function isRedacted(v: unknown, original?: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (typeof v !== 'string') return false;
  if (/redact/i.test(v) || v.includes('*') || v.includes('•')) return true;
  return typeof original === 'string' && original.length >= 4 && v !== original && !v.includes(original);
}

/**
 * The rows of the target's sensitive read by id, as a fresh persona with `policy` sees them. Every page
 * (bounded, as readBack pages): whether the first page holds a row with a sensitive value depends on what the
 * run has written before, so judging one page would make the verdict the seed's.
 */
export async function sensitiveRows(ctx: CheckContext, name: string, policy?: { data: { allow_sensitive_fields: boolean } }): Promise<{ ex: Exchange; byId: Map<string, any> }> {
  const { sensitiveRead, readBack } = ctx.target;
  const p = await ctx.persona({ name, policy });
  const byId = new Map<string, any>();
  let ex;
  for (let page = 1; page <= MAX_PAGES; page++) {
    ex = await p.client.read(sensitiveRead.tool, page === 1 ? sensitiveRead.query : { ...sensitiveRead.query, page });
    const data = expectSuccess<any>(ex, `${sensitiveRead.tool} (${name})`);
    const items: any[] = Array.isArray(data?.[readBack.itemsField]) ? data[readBack.itemsField] : [];
    for (const it of items) byId.set(String(it?.[readBack.idField]), it);
    if (data?.hasMore !== true || items.length === 0) break;
  }
  return { ex: ex!, byId };
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
  description: 'With allow_sensitive_fields false, every sensitive field a full key sees is absent, null or a redaction marker.',
  async run(ctx) {
    const { sensitiveRead, sensitiveFields } = ctx.target;
    const full = await sensitiveRows(ctx, 'abac005 full');
    const restricted = await sensitiveRows(ctx, 'abac005 restricted', { data: { allow_sensitive_fields: false } });
    let observed = 0;
    const leaks: string[] = [];
    for (const [id, row] of full.byId) {
      const other = restricted.byId.get(id);
      if (!other) continue;
      for (const f of sensitiveFields) {
        if (row?.[f] === undefined || row[f] === null) continue;
        observed++;
        // The full key's own value is never a redaction, however it looks (a note may contain "*").
        if (other[f] === row[f] || !isRedacted(other[f], row[f])) leaks.push(`${id}.${f}`);
      }
    }
    if (!observed) throw new Skip(`no ${sensitiveFields.join('/')} values in ${sensitiveRead.tool} to compare`, '--target <file> with sensitiveRead (a read whose rows carry them) and sensitiveFields');
    ctx.note(`${observed} sensitive value(s) compared`);
    // Which fields are sensitive is the domain's call. With a guessed list (fixed.sensitiveFields false), a server
    // that demonstrably redacts other fields is judged by those, not by the guess.
    const guessed = ctx.target.fixed?.sensitiveFields === false;
    if (leaks.length && guessed) {
      const redactedElsewhere = new Set<string>();
      for (const [id, row] of full.byId) {
        const other = restricted.byId.get(id);
        for (const [f, v] of Object.entries(row ?? {})) if (other && v !== null && v !== undefined && other[f] !== v && isRedacted(other[f])) redactedElsewhere.add(f);
      }
      if (redactedElsewhere.size) {
        ctx.note(`the server redacts ${[...redactedElsewhere].join(', ')} rather than the demo guess ${sensitiveFields.join(', ')}; set target.sensitiveFields to check a specific list`);
        return;
      }
    }
    if (leaks.length) fail(`${leaks.length} of ${observed} sensitive value(s) returned unredacted`, 'absent, null or a redaction marker', leaks.slice(0, 10).join(', '), restricted.ex);
  },
};
