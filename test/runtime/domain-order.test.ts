// The shipped domains keep each container's records in listing order as they are written (OrderedGroups), so
// a listing never sorts the whole store. Whatever the writes, a listing shows what filtering and sorting every
// record would: the container's live records, inside the window, newest first, then by id.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDemoDomain } from '../../src/runtime/demo-domain.js';
import { createHelpdeskDomain } from '../../src/runtime/helpdesk-domain.js';
import { OrderedGroups, type ActionContext, type Domain, type ReadQuery } from '../../src/runtime/domain.js';

const CTX: ActionContext = { maxExportRows: 1_000_000 };
/** A few instants, so that records often share one (the order then falls to the id) and sit on a window's bounds. */
const DATES = ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-02T12:00:00.000Z', '2026-03-01T00:00:00.000Z'];
const WINDOWS = [null, { start: null, end: Date.parse(DATES[1]!) }, { start: Date.parse(DATES[1]!), end: Date.parse(DATES[2]!) }, { start: Date.parse(DATES[2]!), end: Date.parse('2027-01-01T00:00:00.000Z') }];

interface Row { id: string; group: string; at: string; live: boolean }

/** The listing as a scan of every record computes it. */
function expected(rows: Iterable<Row>, group: string, window: (typeof WINDOWS)[number]): string[] {
  return [...rows]
    .filter((r) => r.group === group && r.live)
    .filter((r) => window === null || ((window.start === null || Date.parse(r.at) >= window.start) && Date.parse(r.at) <= window.end))
    .sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id))
    .map((r) => r.id);
}

/** Every row of the read `tool` of `group`, in the order it lists them. */
function read(domain: Domain, tool: string, orgId: string, group: string, window: (typeof WINDOWS)[number] = null) {
  const q: ReadQuery = { orgId, allowedContainerIds: null, containerId: group, page: 1, pageSize: 1_000_000, ...(window ? { window: { start: window.start, end: window.end } } : {}) };
  return domain.reads.find((r) => r.tool === tool)!.run(q) as unknown as { items: Record<string, string>[]; total: number };
}

/** The rows `groups` list before any write (the domain's seed), keyed by id, with their time field `at`. */
function seeded(domain: Domain, tool: string, orgId: string, groups: readonly string[], at: string): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const group of groups) for (const t of read(domain, tool, orgId, group).items) rows.set(t.id!, { id: t.id!, group, at: t[at]!, live: true });
  return rows;
}

function list(domain: Domain, tool: string, orgId: string, group: string, window: (typeof WINDOWS)[number]): { ids: string[]; total: number } {
  const { items, total } = read(domain, tool, orgId, group, window);
  return { ids: items.map((i) => i.id!), total };
}

/** A clock that starts at the second of DATES (a window bound), and ids in no particular order. */
const clockAndIds = () => {
  let t = Date.parse(DATES[1]!);
  let n = 0;
  return { now: () => t, tick: (ms: number) => (t += ms), newId: (prefix: string) => `${prefix}_${(n++ * 7919 % 1000).toString(36)}${n}` };
};

describe('listing order kept as records are written', () => {
  it('OrderedGroups holds each group in order through adds and removes, and refuses to remove a record it does not hold', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 5 }), fc.nat(40)), { minLength: 1, maxLength: 120 }), (steps) => {
      const order = (x: { k: number; id: number }, y: { k: number; id: number }) => x.k - y.k || x.id - y.id;
      const groups = new OrderedGroups(order);
      const held = new Map<number, { group: string; rec: { k: number; id: number } }>();
      for (const [add, group, k, id] of steps) {
        const had = held.get(id);
        if (add && !had) {
          const rec = { k, id };
          groups.add(group, rec);
          held.set(id, { group, rec });
        } else if (!add && had) {
          groups.remove(had.group, had.rec);
          held.delete(id);
        }
      }
      for (const g of ['a', 'b']) {
        expect(groups.of(g)).toEqual([...held.values()].filter((h) => h.group === g).map((h) => h.rec).sort(order));
      }
    }));
    const groups = new OrderedGroups<{ k: number }>((x, y) => x.k - y.k);
    groups.add('a', { k: 1 });
    expect(() => groups.remove('a', { k: 1 })).toThrow(/not where/);
    expect(() => groups.remove('b', { k: 1 })).toThrow(/not where/);
  });

  it('demo: transaction.list after creates, date changes, deletes and permanent deletes', () => {
    const step = fc.oneof(
      { arbitrary: fc.record({ create: fc.constantFrom('ledger_main', 'ledger_ops'), date: fc.option(fc.constantFrom(...DATES)), after: fc.constantFrom(0, 0, 3_600_000) }), weight: 4 },
      { arbitrary: fc.record({ redate: fc.nat(), date: fc.constantFrom(...DATES) }), weight: 2 },
      { arbitrary: fc.record({ remove: fc.nat(), permanent: fc.boolean() }), weight: 2 },
    );
    fc.assert(fc.property(fc.array(step, { minLength: 5, maxLength: 60 }), fc.constantFrom(...WINDOWS), (steps, window) => {
      const c = clockAndIds();
      const domain = createDemoDomain(c.now, c.newId);
      const rows = seeded(domain, 'transaction.list', 'org_demo', ['ledger_main', 'ledger_ops'], 'date');
      const pick = (i: number) => [...rows.values()][i % rows.size];
      for (const s of steps) {
        if ('create' in s) {
          // Undated creates take the clock's time: often the same instant as the one before.
          c.tick(s.after);
          const { transaction: t } = domain.actions['transaction.create']!.execute({ ledgerId: s.create, kind: 'expense', title: 't', amount_home: 1, ...(s.date ? { date: s.date } : {}) }, CTX) as { transaction: { id: string; date: string } };
          rows.set(t.id, { id: t.id, group: s.create, at: t.date, live: true });
        } else if ('redate' in s) {
          const r = pick(s.redate);
          if (!r) continue;
          domain.actions['transaction.update']!.execute({ transactionId: r.id, date: s.date }, CTX);
          r.at = s.date;
        } else {
          const r = pick(s.remove);
          if (!r) continue;
          domain.actions[s.permanent ? 'transaction.hard_delete' : 'transaction.delete']!.execute({ transactionId: r.id }, CTX);
          if (s.permanent) rows.delete(r.id);
          else r.live = false;
        }
        // After every write: a listing that remembered something of an earlier one shows it here.
        for (const group of ['ledger_main', 'ledger_ops']) {
          const want = expected(rows.values(), group, window);
          expect(list(domain, 'transaction.list', 'org_demo', group, window)).toEqual({ ids: want, total: want.length });
        }
      }
    }));
  });

  it('helpdesk: ticket.list after creates (several in one instant) and permanent deletes', () => {
    const step = fc.oneof(
      // Twelve hours after the clock's start is a window bound too.
      { arbitrary: fc.record({ create: fc.constantFrom('prj_support', 'prj_billing'), after: fc.constantFrom(0, 0, 43_200_000) }), weight: 3 },
      { arbitrary: fc.record({ remove: fc.nat() }), weight: 1 },
    );
    fc.assert(fc.property(fc.array(step, { minLength: 5, maxLength: 60 }), fc.constantFrom(...WINDOWS), (steps, window) => {
      const c = clockAndIds();
      const domain = createHelpdeskDomain(c.now, c.newId);
      const rows = seeded(domain, 'ticket.list', 'org_helpdesk', ['prj_support', 'prj_billing'], 'opened_at');
      for (const s of steps) {
        if ('create' in s) {
          c.tick(s.after);
          const { ticket: t } = domain.actions['ticket.create']!.execute({ projectId: s.create, subject: 's', requester_email: 'a@example.com' }, CTX) as { ticket: { id: string; opened_at: string } };
          rows.set(t.id, { id: t.id, group: s.create, at: t.opened_at, live: true });
        } else if (rows.size > 0) {
          const r = [...rows.values()][s.remove % rows.size]!;
          domain.actions['ticket.delete']!.execute({ ticketId: r.id }, CTX);
          rows.delete(r.id);
        }
        for (const group of ['prj_support', 'prj_billing']) {
          const want = expected(rows.values(), group, window);
          expect(list(domain, 'ticket.list', 'org_helpdesk', group, window)).toEqual({ ids: want, total: want.length });
        }
      }
    }));
  });

  it("helpdesk: reassign_all takes the project's tickets of that assignee that are not closed, by id", () => {
    const c = clockAndIds();
    const domain = createHelpdeskDomain(c.now, c.newId);
    const { ticket } = domain.actions['ticket.create']!.execute({ projectId: 'prj_billing', subject: 's', requester_email: 'a@example.com', assignee: 'agt_omar' }, CTX) as { ticket: { id: string } };
    domain.actions['ticket.create']!.execute({ projectId: 'prj_support', subject: 's', requester_email: 'a@example.com', assignee: 'agt_omar' }, CTX);
    // The seeded billing desk: tkt_1004 (open) and tkt_1007 (pending) are agt_omar's, tkt_1005 is closed.
    const impact = domain.actions['ticket.reassign_all']!.impact({ projectId: 'prj_billing', fromAssignee: 'agt_omar', toAssignee: 'agt_jon' }) as { ticketIds: string[] };
    expect(impact.ticketIds).toEqual(['tkt_1004', 'tkt_1007', ticket.id].sort((a, b) => a.localeCompare(b)));
  });
});
