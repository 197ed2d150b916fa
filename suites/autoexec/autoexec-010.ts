import { ToolError, type CheckContext, type CheckDef, type Exchange, type Persona } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { describe, fail, successStatusAllowed } from '../../src/kit/expect.js';
import { valueAt } from '../../src/kit/helpers.js';
import { writeSamples, type WriteSample } from '../../src/kit/target.js';
import { createResource, idemKey, justification, marker, payloadFor, preflight, rejectPending, window } from '../lib-write.js';

/** The limit asked for: the smallest there is. A server may keep a floor of its own (it then says so). */
const ASKED = 1;
/** At most this many resources are created to lift an export above a server's floor (the authors' keeps 100). */
const MAX_FILL = 200;

/** Attempts of one export: checks running beside this one create resources, which can change an export's impact between its preflight and its execution. */
const ATTEMPTS = 3;

/** The export's impact changed between its preflight and its execution: a draft denied auto-execution, or a refusal, with that code. */
function impactMoved(ex: Exchange): boolean {
  const body = ex.response.json as { code?: unknown; data?: { autoExecuteDeniedCode?: unknown } } | undefined;
  return body?.code === 'agent.preflight_mismatch' || body?.data?.autoExecuteDeniedCode === 'agent.preflight_mismatch';
}

/** A fully prepared auto-execute of `sample` (preflightHash, idempotencyKey, justification), and the rows it delivered when it ran. */
async function autoExport(ctx: CheckContext, p: Persona, sample: WriteSample & { rowCountPath: string }): Promise<{ ex: Exchange; rows?: number }> {
  const payload = payloadFor(sample, ctx.target.existingResourceId, marker(ctx));
  let ex: Exchange;
  for (let attempt = 1; ; attempt++) {
    const pf = await preflight(p, sample.action, payload);
    ex = await p.client.actions({ action: sample.action, payload, execute: true, justification: justification(ctx), idempotencyKey: idemKey(ctx), preflightHash: pf.impactHash });
    if (attempt === ATTEMPTS || !impactMoved(ex)) break;
  }
  const d = dataOf(ex);
  if (!successStatusAllowed(ex) || d?.status !== 'executed') return { ex };
  const rows = valueAt(d.execution?.result, sample.rowCountPath);
  if (typeof rows !== 'number') throw new ToolError(`${sample.action}'s execution result has no number at ${sample.rowCountPath} (the target's rowCountPath): ${JSON.stringify(d.execution?.result)?.slice(0, 160)}`, 2);
  return { ex, rows };
}

/** Ask for max_export_rows ASKED; the limit in force is the one the admin plane reports back (else the one asked for). */
async function setLimit(ctx: CheckContext, p: Persona, action: string): Promise<number> {
  const set = await ctx.admin.setAutoExecute(p.appId, { high_risk: { ...window(ctx, [action]), max_export_rows: ASKED } });
  const reported = valueAt(dataOf(set), 'auto_execute.high_risk.max_export_rows') ?? valueAt(dataOf(set), 'high_risk.max_export_rows');
  return typeof reported === 'number' ? reported : ASKED;
}

/**
 * §7: the high_risk tier carries `max_export_rows`. What the server does with an auto-executed export that
 * would exceed it — deliver only that many rows, or withhold or refuse the export — the brief leaves open;
 * an auto-executed export that delivers more rows than the limit in force is what it rules out. The exports
 * are the write samples with a rowCountPath; the limit in force is the one the admin plane reports back.
 * When a server keeps a floor above the rows there are, resources are created (bounded) to pass it.
 */
export const autoexec010: CheckDef = {
  id: 'AUTOEXEC-010',
  safety: 'execute',
  needs: ['admin'],
  // An export whose impact moved between its preflight and its execution (other checks create resources) is tried again.
  expectedCodes: ['agent.preflight_mismatch'],
  description:
    'Every export the target describes (a write sample with rowCountPath) is auto-executed under an open high_risk window, then again with max_export_rows below the rows it ' +
    'delivered (first creating resources, at most 200, when the server keeps a floor above them): the second one delivers at most max_export_rows rows, or is withheld or refused.',
  async run(ctx) {
    const exports = writeSamples(ctx.target).filter((s): s is WriteSample & { rowCountPath: string } => typeof s.rowCountPath === 'string');
    if (exports.length === 0) {
      ctx.partial('the target describes no export (no write sample with rowCountPath): max_export_rows was not tried');
      return;
    }
    const p = await ctx.persona({ name: 'autoexec-max-export-rows' });
    try {
      for (const sample of exports) {
        await ctx.admin.setAutoExecute(p.appId, { high_risk: window(ctx, [sample.action]) });
        const all = await autoExport(ctx, p, sample);
        if (all.rows === undefined) {
          ctx.partial(`${sample.action} was not auto-executed under an open high_risk window (${describe(all.ex)}; AUTOEXEC-008 judges the window): max_export_rows was not tried`);
          continue;
        }
        if (all.rows <= ASKED) {
          ctx.partial(`${sample.action} delivers ${all.rows} row(s): no max_export_rows below that exists`);
          continue;
        }
        let limit = await setLimit(ctx, p, sample.action);
        let rows = all.rows;
        if (limit >= rows && limit + 1 - rows <= MAX_FILL) {
          // A floor above the rows there are: create enough resources (the create sample) to go past it, and
          // measure again without the limit, since only the server knows whether they count for this export.
          for (let i = rows; i <= limit; i++) await createResource(ctx, p);
          await ctx.admin.setAutoExecute(p.appId, { high_risk: window(ctx, [sample.action]) });
          rows = (await autoExport(ctx, p, sample)).rows ?? rows;
          limit = await setLimit(ctx, p, sample.action);
          ctx.note(`${sample.action}: ${rows} row(s) after creating ${limit + 1 - all.rows} to pass the server's max_export_rows floor of ${limit}`);
        }
        if (limit >= rows) {
          ctx.partial(`asked for max_export_rows ${ASKED}, the server keeps ${limit}, not below the ${rows} row(s) ${sample.action} delivers: not judged`);
          continue;
        }
        const bounded = await autoExport(ctx, p, sample);
        if (bounded.rows === undefined) {
          ctx.note(`${sample.action} past max_export_rows ${limit}: not executed (${describe(bounded.ex)})`);
        } else if (bounded.rows > limit) {
          fail(`an auto-executed ${sample.action} delivered more rows than max_export_rows`, `at most ${limit} row(s), or the export withheld`, `${bounded.rows} rows (${rows} without the limit)`, bounded.ex);
        } else {
          ctx.note(`${sample.action}: ${bounded.rows} of ${rows} rows under max_export_rows ${limit}`);
        }
      }
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
