import type { CheckDef } from '../../src/engine/check.js';
import { expectError, expectSuccess, fail } from '../../src/engine/expect.js';

const DAY = 86_400_000;

export const abac004: CheckDef = {
  id: 'ABAC-004',
  safety: 'draft',
  needs: ['admin'],
  description: 'With max_days 30: a 90-day range is 403 policy_denied, a 10-day range is admitted, start after end is 400 action_invalid, the default window holds.',
  expectedCodes: ['agent.policy_denied', 'agent.action_invalid'],
  async run(ctx) {
    const { path, startParam, endParam } = ctx.target.dateRange;
    const p = await ctx.persona({ name: 'abac004 max_days', policy: { data: { max_days: 30 } } });
    const now = ctx.now();
    const day = (offset: number) => new Date(now + offset * DAY).toISOString().slice(0, 10);
    const range = (start: string, end: string) =>
      p.client.request({ method: 'GET', path: `${path}${path.includes('?') ? '&' : '?'}${encodeURIComponent(startParam)}=${start}&${encodeURIComponent(endParam)}=${end}` });

    expectError(await range(day(-90), day(0)), 'agent.policy_denied', 'a 90-day range with max_days 30');
    expectSuccess(await range(day(-10), day(0)), 'a 10-day range with max_days 30');
    expectError(await range(day(0), day(-10)), 'agent.action_invalid', 'a range whose start is after its end');

    const ex = await p.client.request({ method: 'GET', path });
    const data = expectSuccess<any>(ex, 'no start date with max_days 30');
    const items: any[] = Array.isArray(data?.[ctx.target.readBack.itemsField]) ? data[ctx.target.readBack.itemsField] : [];
    const floor = now - 31 * DAY;
    const old = items.filter((it) => typeof it?.date === 'string' && Date.parse(it.date) < floor);
    ctx.note(`${items.length} rows in the default window`);
    if (old.length) {
      fail(`${old.length} row(s) older than max_days returned without a start date`, `every date ≥ ${new Date(floor).toISOString()}`, old.slice(0, 3).map((it) => `${it.id}: ${it.date}`).join(', '), ex);
    }
  },
};
