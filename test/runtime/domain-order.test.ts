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
/** The last is a year past 9999: its text sorts before the others although its instant is the latest. */
const DATES = ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-02T12:00:00.000Z', '2026-03-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z'];
const WINDOWS = [null, { start: null, end: Date.parse(DATES[1]!) }, { start: Date.parse(DATES[1]!), end: Date.parse(DATES[2]!) }, { start: Date.parse(DATES[2]!), end: Date.parse('2027-01-01T00:00:00.000Z') }, { start: Date.parse(DATES[3]!), end: Date.parse('+010000-06-01T00:00:00.000Z') }];

interface Row { id: string; group: string; at: string; live: boolean }
interface Rec { at: string; id: string }
/** The listing order: newest time first as its text sorts, then by id (both descending). */
const listingOrder = (a: Rec, b: Rec) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id);

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
      const groups = new OrderedGroups<Rec>((r) => r.at, (r) => r.id);
      const held = new Map<number, { group: string; rec: Rec }>();
      for (const [add, group, k, n] of steps) {
        const had = held.get(n);
        if (add && !had) {
          const rec = { at: DATES[k % DATES.length]!, id: `r${n}` };
          groups.add(group, rec);
          held.set(n, { group, rec });
        } else if (!add && had) {
          groups.remove(had.group, had.rec);
          held.delete(n);
        }
      }
      for (const g of ['a', 'b']) {
        expect(groups.of(g)).toEqual([...held.values()].filter((h) => h.group === g).map((h) => h.rec).sort(listingOrder));
      }
    }));
    const groups = new OrderedGroups<Rec>((r) => r.at, (r) => r.id);
    groups.add('a', { at: DATES[0]!, id: 'x' });
    expect(() => groups.remove('a', { at: DATES[0]!, id: 'x' })).toThrow(/not where/);
    expect(() => groups.remove('b', { at: DATES[0]!, id: 'x' })).toThrow(/not where/);
  });

  it('a window of times holds what a scan of the group finds, also once a group holds a year past 9999 or before 0, or a text that is not toISOString\'s (either sorts apart from its instant)', () => {
    // Instants around the bounds of the windows below, in years of four digits and beyond.
    const instant = fc.oneof(
      { arbitrary: fc.integer({ min: Date.parse('2025-12-31T00:00:00.000Z'), max: Date.parse('2026-01-03T00:00:00.000Z') }), weight: 8 },
      { arbitrary: fc.constantFrom(Date.parse('+010000-01-01T00:00:00.000Z'), Date.parse('-000001-06-01T00:00:00.000Z'), Date.parse('9999-12-31T23:59:59.999Z'), 0), weight: 1 },
    );
    const bound = fc.option(fc.oneof(instant, fc.constant(Number.NaN)), { nil: null });
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b'), instant, fc.nat(9)), { maxLength: 80 }), fc.array(fc.nat(), { maxLength: 20 }), bound, bound, (adds, removals, from, to) => {
      const groups = new OrderedGroups<Rec>((r) => r.at, (r) => r.id);
      const held: { group: string; rec: Rec }[] = [];
      adds.forEach(([group, ms, odd], i) => {
        // Now and then a text of the same width that is not toISOString's ("…T24:05…", no instant at all): not in order.
        const iso = new Date(ms).toISOString();
        const rec = { at: odd === 0 ? `${iso.slice(0, 11)}24:05:00.000Z` : iso, id: `r${i}` };
        groups.add(group, rec);
        held.push({ group, rec });
      });
      for (const n of removals) {
        if (held.length === 0) break;
        const [gone] = held.splice(n % held.length, 1);
        groups.remove(gone!.group, gone!.rec);
      }
      for (const g of ['a', 'b']) {
        const want = held
          .filter((h) => h.group === g && (from === null || Date.parse(h.rec.at) >= from) && (to === null || Date.parse(h.rec.at) <= to))
          .map((h) => h.rec)
          .sort(listingOrder);
        const found = groups.window(g, from, to);
        expect(found.length).toBe(want.length);
        expect(found.slice(0, want.length + 1)).toEqual(want);
        // A page from the middle, as a paged read takes it.
        expect(found.slice(1, 3)).toEqual(want.slice(1, 3));
      }
    }), { numRuns: 300 });
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
