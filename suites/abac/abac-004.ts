import type { CheckDef } from '../../src/engine/check.js';
import { codeOf, expectError, expectSuccess, fail } from '../../src/engine/expect.js';

const DAY = 86_400_000;

/** Date-only is the common form; a server whose validator wants full timestamps gets those instead. */
const FORMATS: [string, (ms: number) => string][] = [
  ['YYYY-MM-DD', (ms) => new Date(ms).toISOString().slice(0, 10)],
  ['ISO 8601 timestamps', (ms) => new Date(ms).toISOString()],
];

export const abac004: CheckDef = {
  id: 'ABAC-004',
  safety: 'draft',
  needs: ['admin'],
  description: 'With max_days 30: a 10-day range is admitted, a 90-day range is 403 policy_denied, start after end is 400 action_invalid, the default window holds.',
  expectedCodes: ['agent.policy_denied', 'agent.action_invalid'],
  async run(ctx) {
    const { path, startParam, endParam } = ctx.target.dateRange;
    const p = await ctx.persona({ name: 'abac004 max_days', policy: { data: { max_days: 30 } } });
    const now = ctx.now();
    let [formatName, format] = FORMATS[0];
    const range = (startDays: number, endDays: number) =>
      p.client.request({
        method: 'GET',
        path: `${path}${path.includes('?') ? '&' : '?'}${encodeURIComponent(startParam)}=${encodeURIComponent(format(now + startDays * DAY))}&${encodeURIComponent(endParam)}=${encodeURIComponent(format(now + endDays * DAY))}`,
      });

    let admitted = await range(-10, 0);
    if (codeOf(admitted) === 'common.validation') {
      [formatName, format] = FORMATS[1];
      admitted = await range(-10, 0);
    }
    expectSuccess(admitted, `a 10-day range with max_days 30 (dates as ${formatName})`);
    expectError(await range(-90, 0), 'agent.policy_denied', `a 90-day range with max_days 30 (dates as ${formatName})`);
    expectError(await range(0, -10), 'agent.action_invalid', `a range whose start is 10 days after its end (dates as ${formatName})`);

    const ex = await p.client.request({ method: 'GET', path });
    const data = expectSuccess<any>(ex, 'no start date with max_days 30');
    const items: any[] = Array.isArray(data?.[ctx.target.readBack.itemsField]) ? data[ctx.target.readBack.itemsField] : [];
    const floor = now - 31 * DAY;
    const old = items.filter((it) => typeof it?.date === 'string' && Date.parse(it.date) < floor);
    ctx.note(`dates sent as ${formatName}; ${items.length} rows in the default window`);
    if (old.length) {
      fail(`${old.length} row(s) older than max_days returned without a start date`, `every date ≥ ${new Date(floor).toISOString()}`, old.slice(0, 3).map((it) => `${it.id}: ${it.date}`).join(', '), ex);
    }
  },
};
