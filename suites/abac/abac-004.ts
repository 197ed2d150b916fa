import { ToolError, type AgentClient, type CheckContext, type CheckDef, type Exchange, type Persona } from '../../src/kit/check.js';
import { codeOf, describe, expectError, expectSuccess, fail, isRefusal } from '../../src/kit/expect.js';
import { samplePayloadOf } from '../../src/kit/helpers.js';
import { writeSamples, type ReadArgs } from '../../src/kit/target.js';
import { PAGE_SHAPES, pageOf, shapeText } from '../env/routes.js';
import { rejectPending } from '../lib-write.js';

const DAY = 86_400_000;

/** Date-only is the common form; a server whose validator wants full timestamps gets those instead. */
const FORMATS: [string, (ms: number) => string][] = [
  ['YYYY-MM-DD', (ms) => new Date(ms).toISOString().slice(0, 10)],
  ['ISO 8601 timestamps', (ms) => new Date(ms).toISOString()],
];

/**
 * Reads of the target's windowed read by `client` over [now + startDays, now + endDays], the dates in the form
 * the description declares, else date-only, and as full timestamps from the first read a validator refuses as
 * dates on. `format()` is the form in use.
 */
export function rangeReader(ctx: CheckContext, client: AgentClient): { range(startDays: number, endDays: number, extra?: ReadArgs): Promise<Exchange>; format(): [string, (ms: number) => string] } {
  const { tool, query, startParam, endParam, format: declared } = ctx.target.dateRange;
  let form = FORMATS[declared === 'date-time' ? 1 : 0]!;
  let settled = declared !== undefined;
  const send = (startDays: number, endDays: number, extra?: ReadArgs) => client.read(tool, { ...query, ...extra, [startParam]: form[1](ctx.now() + startDays * DAY), [endParam]: form[1](ctx.now() + endDays * DAY) });
  return {
    async range(startDays, endDays, extra) {
      const ex = await send(startDays, endDays, extra);
      if (settled) return ex;
      settled = true;
      if (codeOf(ex) !== 'common.validation') return ex;
      form = FORMATS[1]!;
      return send(startDays, endDays, extra);
    },
    format: () => form,
  };
}

/**
 * `base` with a `days`-day range ending now in the sample's window fields, dates only unless `p`'s preflight of
 * `action` refuses them for validation (then ISO 8601 timestamps).
 */
export async function datedPayload(ctx: CheckContext, p: Persona, action: string, base: Record<string, unknown>, w: { startField: string; endField: string }, days = 10): Promise<Record<string, unknown>> {
  const now = ctx.now();
  const dated = (form: (ms: number) => string) => ({ ...base, [w.startField]: form(now - days * DAY), [w.endField]: form(now) });
  const dateOnly = dated(FORMATS[0]![1]);
  const tried = await p.client.preflight(action, dateOnly);
  return codeOf(tried) === 'common.validation' ? dated(FORMATS[1]![1]) : dateOnly;
}

export const abac004: CheckDef = {
  id: 'ABAC-004',
  safety: 'draft',
  needs: ['admin'],
  description: 'With max_days 30 on the windowed read (target.dateRange): a 10-day range is admitted, a 90-day range and one of 31 days (max_days + 1) are 403 policy_denied, start after end is 400 action_invalid, and without a range or with an end of today alone no row is older than the default window (a read that pages also with page=1 and page=1&pageSize=20: 90 days refused, no row older than the window), and with a start 90 days back alone the rows span no more than max_days (judged on the row field target.dateRange.field; a refusal of a lone bound is accepted). Every write sample that reads a date range (its window, an export) is held to the same bounds at its preflight (10 days admitted, 90 days 403 policy_denied, start after end 400 action_invalid) and at the request that would draft it (90 days 403 policy_denied).',
  expectedCodes: ['agent.policy_denied', 'agent.action_invalid'],
  async run(ctx) {
    const { tool, query, startParam, endParam, field } = ctx.target.dateRange;
    const p = await ctx.persona({ name: 'abac004 max_days', policy: { data: { max_days: 30 } } });
    const now = ctx.now();
    const { range, format: formatInUse } = rangeReader(ctx, p.client);
    const admitted = await range(-10, 0);
    const [formatName, format] = formatInUse();
    expectSuccess(admitted, `a 10-day range with max_days 30 (dates as ${formatName})`);
    expectError(await range(-90, 0), 'agent.policy_denied', `a 90-day range with max_days 30 (dates as ${formatName})`);
    // The edge: end − start of 31 whole days is wider than 30 however the days are counted (inclusive date-only days
    // make it 32). Exactly 30 is not judged: counted inclusively, dates 30 days apart span 31 days.
    expectError(await range(-31, 0), 'agent.policy_denied', `a range of 31 days (end − start = max_days + 1) with max_days 30 (dates as ${formatName})`);
    ctx.note(`a range of exactly 30 days (end − start = max_days), not judged: ${describe(await range(-30, 0))}`);
    expectError(await range(0, -10), 'agent.action_invalid', `a range whose start is 10 days after its end (dates as ${formatName})`);

    const floor = now - 31 * DAY;
    /**
     * Rows of `ex` (a 200) outside the window. `recent`: the default window [end − max_days, end] ends today,
     * so no row may be older than max_days; else only the width is bounded (§6: "a wider range → 403"), so the
     * rows may lie anywhere but must span no more than max_days.
     */
    const judgeRows = (ex: Exchange, what: string, recent = true): number => {
      const data = expectSuccess<any>(ex, what);
      const items: any[] = Array.isArray(data?.[ctx.target.readBack.itemsField]) ? data[ctx.target.readBack.itemsField] : [];
      const dated = items.filter((it) => typeof it?.[field] === 'string' && !Number.isNaN(Date.parse(it[field])));
      // Rows without the field cannot show a window: that half judged nothing, and says so rather than passing.
      if (items.length > 0 && dated.length === 0) {
        throw new ToolError(`none of the ${items.length} rows of ${tool} carries a parsable ${field}; set target.dateRange.field to the row field the window applies to`, 2);
      }
      const times = dated.map((it) => Date.parse(it[field]));
      // 31 days and two hours: an inclusive 30-day window of whole local days, a daylight-saving hour in it.
      if (!recent && times.length > 1 && Math.max(...times) - Math.min(...times) > 31 * DAY + 2 * 3_600_000) {
        const span = (ms: number) => new Date(ms).toISOString().slice(0, 10);
        fail(`the rows returned ${what} span more than max_days`, 'rows within a window of at most 30 days (a wider range → 403 policy_denied)', `rows from ${span(Math.min(...times))} to ${span(Math.max(...times))}`, ex);
      }
      const old = recent ? dated.filter((it) => Date.parse(it[field]) < floor) : [];
      if (old.length) {
        fail(`${old.length} row(s) older than max_days returned ${what}`, `every ${field} ≥ ${new Date(floor).toISOString()}`, old.slice(0, 3).map((it) => `${it[ctx.target.readBack.idField]}: ${it[field]}`).join(', '), ex);
      }
      return dated.length;
    };
    const plain = await p.client.read(tool, query);
    const inWindow = judgeRows(plain, 'without a range');
    ctx.note(`range sent as ${formatName}; ${inWindow} rows in the default window`);
    if (inWindow === 0) ctx.partial('the default window returned no rows, so the window was not judged');
    // A read that pages is bounded alike when it names a page (PAGE_SHAPES): the wide range and the default window.
    if (pageOf(plain)) {
      for (const shape of PAGE_SHAPES) {
        expectError(await range(-90, 0, shape), 'agent.policy_denied', `a 90-day range with max_days 30 and ${shapeText(shape)} (dates as ${formatName})`);
        judgeRows(await p.client.read(tool, { ...query, ...shape }), `without a range, with ${shapeText(shape)}`);
      }
    }
    // One bound alone. An end of today leaves the default window: no row older than max_days. A start 90 days
    // back is refused (403 policy_denied) or read as some window no wider than max_days; never as 90 days.
    for (const [bound, value] of [[startParam, -90], [endParam, 0]] as const) {
      const ex = await p.client.read(tool, { ...query, [bound]: format(now + value * DAY) });
      if (isRefusal(ex)) ctx.note(`${bound} alone (${value} days): ${codeOf(ex)}`);
      else judgeRows(ex, `with ${bound} alone (${value === 0 ? 'today' : `${-value} days back`})`, bound === endParam);
    }

    // §6's data policy bounds the data a write reads as it bounds a read: an export's date range too, at its
    // preflight and at the request that drafts it (which could be approved or auto-executed later).
    try {
      for (const sample of writeSamples(ctx.target).filter((s) => s.window !== undefined)) {
        const { startField, endField } = sample.window!;
        const base = samplePayloadOf(ctx.target, sample.payload);
        // The dates in the form the read accepted; a write whose validator wants the other form gets that.
        let [name, form] = [formatName, format];
        const dated = (startDays: number, endDays: number) => ({ ...base, [startField]: form(now + startDays * DAY), [endField]: form(now + endDays * DAY) });
        let admitted = await p.client.preflight(sample.action, dated(-10, 0));
        if (codeOf(admitted) === 'common.validation') {
          [name, form] = FORMATS.find(([n]) => n !== name)!;
          admitted = await p.client.preflight(sample.action, dated(-10, 0));
        }
        const what = `${sample.action} with ${startField}/${endField}`;
        expectSuccess(admitted, `preflight ${what} 10 days apart, max_days 30 (dates as ${name})`);
        expectError(await p.client.preflight(sample.action, dated(-90, 0)), 'agent.policy_denied', `preflight ${what} 90 days apart, max_days 30 (dates as ${name})`);
        expectError(await p.client.preflight(sample.action, dated(0, -10)), 'agent.action_invalid', `preflight ${what} whose start is 10 days after its end (dates as ${name})`);
        expectError(await p.client.actions({ action: sample.action, payload: dated(-90, 0) }), 'agent.policy_denied', `POST /actions ${what} 90 days apart, max_days 30 (a draft, dates as ${name})`);
      }
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
