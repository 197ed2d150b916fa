import { isDeepStrictEqual } from 'node:util';
import { Skip, type CheckDef } from '../../src/kit/check.js';
import { fail } from '../../src/kit/expect.js';
import { readBack } from '../../src/kit/helpers.js';
import { writeSamples } from '../../src/kit/target.js';
import { marker, payloadFor, preflight } from '../lib-write.js';

/** How deep the impact is searched for the row's description (a described row is near the top). */
const MAX_DEPTH = 6;

/** The first object inside `v` (itself included) whose `idField` is `id`, breadth first. */
function describedRow(v: unknown, idField: string, id: string): Record<string, unknown> | undefined {
  let level: unknown[] = [v];
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const x of level) {
      if (x === null || typeof x !== 'object') continue;
      if (!Array.isArray(x) && (x as Record<string, unknown>)[idField] === id) return x as Record<string, unknown>;
      next.push(...Object.values(x));
    }
    level = next;
  }
  return undefined;
}

/**
 * §7: the impact is "the server's description of what the action will do (for a delete: the target row's
 * current fields)". Which fields a server shows is its choice (contact details may stay out); what it shows
 * of the row must be the row as it is now. The deletes are the write samples whose effect is that the row
 * leaves the read-back (`effect.absent`), preflighted on the existing resource: a preflight changes nothing.
 */
export const preflight008: CheckDef = {
  id: 'PREFLIGHT-008',
  safety: 'draft',
  needs: ['admin'],
  description:
    "The preflight of every delete the target describes (a write sample whose effect is `absent`) has an impact that describes the target row by its id together with " +
    'at least one more of its fields, each equal to the row as read back just before.',
  async run(ctx) {
    const deletes = writeSamples(ctx.target).filter((s) => s.effect?.absent === true);
    // A server without a delete has nothing this clause rules: a pass that says what it did not try.
    if (deletes.length === 0) return ctx.partial('the target describes no delete (no write sample with effect: { absent: true }): no delete impact was judged');
    const { idField } = ctx.target.readBack;
    const id = ctx.target.existingResourceId;
    const p = await ctx.persona({ name: 'preflight-delete-impact' });
    const row = await readBack(ctx, p.client, id);
    if (!row) throw new Skip(`the existing resource ${id} is not in the read-back listing`, 'set target.readBack to list the container of existingResourceId');
    const sensitive = new Set(ctx.target.sensitiveFields);
    for (const sample of deletes) {
      const { impact } = await preflight(p, sample.action, payloadFor(sample, id, marker(ctx)));
      const described = describedRow(impact, idField, id);
      const shown = JSON.stringify(impact)?.slice(0, 300) ?? 'undefined';
      if (!described) fail(`the ${sample.action} impact does not describe the row it deletes`, `an object with ${idField} ${JSON.stringify(id)} and the row's current fields`, shown);
      const shared = Object.keys(described).filter((k) => k !== idField && !sensitive.has(k) && k in row);
      if (shared.length === 0) fail(`the ${sample.action} impact names the row it deletes but none of its fields`, `the row's current fields (${Object.keys(row).filter((k) => k !== idField).slice(0, 6).join(', ')}, …)`, shown);
      const stale = shared.filter((k) => !isDeepStrictEqual(described[k], row[k]));
      if (stale.length > 0) {
        fail(`the ${sample.action} impact shows fields other than the row's current ones`, stale.map((k) => `${k}: ${JSON.stringify(row[k])}`).join(', '), stale.map((k) => `${k}: ${JSON.stringify(described[k])}`).join(', '));
      }
      ctx.note(`${sample.action}: the impact shows ${shared.length} current field(s) of ${id} (${shared.join(', ')})`);
    }
  },
};
