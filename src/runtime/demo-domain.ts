/**
 * The demo domain of the brief: ledgers and transactions in tenant org_demo, plus a second tenant
 * (org_other) so cross-tenant probes have something to aim at. Descriptors match the authors' runtime.
 */
import type { ToolDescriptor, ValidationIssue } from '../protocol/types.js';
import { actionDescriptor as action, csvCell, objectWith as out, OrderedGroups, pageOf, type Container, type Domain, type DomainAction, type DomainRead } from './domain.js';
import { ApiError, Checker, issue, type Json } from './errors.js';

interface Ledger { id: string; name: string; currency_home: string; tz: string; organization_id: string }
interface Transaction {
  id: string;
  ledger_id: string;
  kind: 'income' | 'expense';
  title: string;
  amount_home: number;
  currency_home: string;
  date: string;
  notes: string | null;
  is_deleted: boolean;
  created_at: string;
  updated_at: string;
}

const DAY = 86_400_000;

const TOOLS: ToolDescriptor[] = [
  {
    name: 'ledger.list',
    description: 'List ledgers that this integration can access.',
    requiredScopes: ['ledger.read'],
    risk: 'low',
    requiresConfirmation: false,
    http: { method: 'GET', path: '/api/agent/v1/ledgers' },
    inputSchema: { type: 'object', properties: {} },
    outputSchema: out('items', 'array'),
  },
  {
    name: 'transaction.list',
    description: 'List transactions for a ledger, with optional date filters and pagination.',
    requiredScopes: ['transaction.read'],
    risk: 'low',
    requiresConfirmation: false,
    http: { method: 'GET', path: '/api/agent/v1/transactions' },
    inputSchema: {
      type: 'object',
      required: ['ledgerId'],
      properties: {
        ledgerId: { type: 'string' },
        startDate: { type: 'string' },
        endDate: { type: 'string' },
        page: { type: 'integer' },
        pageSize: { type: 'integer' },
      },
    },
    outputSchema: { type: 'object', properties: { items: { type: 'array' }, total: { type: 'integer' } } },
  },
  action('transaction.create', 'Create a new transaction.', ['transaction.write'], 'medium', 'transaction'),
  action('transaction.update', 'Update an existing transaction.', ['transaction.write'], 'medium', 'transaction'),
  action('transaction.delete', 'Soft delete a transaction.', ['transaction.delete'], 'high', 'deleted'),
  action('transaction.hard_delete', 'Permanently delete a transaction.', ['transaction.delete'], 'high', 'deleted'),
  action('transactions.export_csv', 'Export transactions as CSV.', ['transaction.read', 'transaction.export'], 'high', 'export'),
];

const UPDATABLE = ['kind', 'title', 'amount_home', 'currency_home', 'date', 'notes'] as const;

/** The payloads the validators below accept, as JSON Schema (what the MCP front shows hosts; Domain.payloadSchemas). */
const str = { type: 'string' };
const day = { type: 'string', description: 'An ISO 8601 date (YYYY-MM-DD)' };
const TXN_FIELDS = {
  kind: { enum: ['income', 'expense'] }, title: { type: 'string', maxLength: 500 }, amount_home: { type: 'number' },
  currency_home: { type: 'string', maxLength: 8 }, date: day, notes: { type: ['string', 'null'], maxLength: 5000 },
};
const payload = (required: string[], properties: Record<string, unknown>) => ({ type: 'object', required, properties });
const PAYLOAD_SCHEMAS = {
  'transaction.create': payload(['ledgerId', 'kind', 'title', 'amount_home'], { ledgerId: str, ...TXN_FIELDS }),
  'transaction.update': payload(['transactionId'], { transactionId: str, ...TXN_FIELDS }),
  'transaction.delete': payload(['transactionId'], { transactionId: str }),
  'transaction.hard_delete': payload(['transactionId'], { transactionId: str }),
  'transactions.export_csv': payload(['ledgerId'], { ledgerId: str, startDate: day, endDate: day }),
};

export function createDemoDomain(now: () => number, newId: (prefix: string) => string): Domain {
  const iso = (ms: number) => new Date(ms).toISOString();
  const start = now();
  const ledgers = new Map<string, Ledger>();
  const txns = new Map<string, Transaction>();

  for (const l of [
    { id: 'ledger_main', name: 'Main Ledger', currency_home: 'USD', tz: 'America/Los_Angeles', organization_id: 'org_demo' },
    { id: 'ledger_ops', name: 'Ops Ledger', currency_home: 'USD', tz: 'America/New_York', organization_id: 'org_demo' },
    { id: 'ledger_other', name: 'Other Tenant Ledger', currency_home: 'EUR', tz: 'Europe/Berlin', organization_id: 'org_other' },
  ]) ledgers.set(l.id, l);

  const seed: [string, string, Transaction['kind'], string, number, number, string | null][] = [
    ['txn_1', 'ledger_main', 'income', 'Consulting payment', 1200, 3, 'Paid by client card ending 4242'],
    ['txn_2', 'ledger_main', 'expense', 'Office rent', 2400, 15, null],
    ['txn_3', 'ledger_main', 'expense', 'Cloud hosting', 310.5, 40, 'Billed to card ending 1881'],
    ['txn_4', 'ledger_ops', 'expense', 'Courier services', 85, 7, null],
    ['txn_5', 'ledger_ops', 'income', 'Equipment resale', 640, 75, 'Buyer IBAN ending 9920'],
    ['txn_6', 'ledger_main', 'expense', 'Team offsite', 1800, 110, null],
    ['txn_7', 'ledger_ops', 'expense', 'Insurance premium', 420, 118, 'Policy holder SSN ending 0417'],
    ['txn_other_1', 'ledger_other', 'income', 'Foreign tenant payment', 999, 5, 'Other tenant account ending 7777'],
  ];
  /** Each ledger's transactions that are not deleted, newest date first (then id, descending): what a listing shows. */
  const listed = new OrderedGroups<Transaction>((t) => t.date, (t) => t.id);
  const store = (t: Transaction) => {
    txns.set(t.id, t);
    listed.add(t.ledger_id, t);
  };
  /** A change to a transaction's listing order or presence: out of its ledger's list while it happens. */
  const reorder = (t: Transaction, change: () => void) => {
    if (!t.is_deleted) listed.remove(t.ledger_id, t);
    try {
      change();
    } finally {
      // Back in its list even if the change threw: a record missing from it would fail every later removal.
      if (!t.is_deleted) listed.add(t.ledger_id, t);
    }
  };
  for (const [id, ledger_id, kind, title, amount_home, daysAgo, notes] of seed) {
    const at = iso(start - daysAgo * DAY);
    const currency_home = ledgers.get(ledger_id)!.currency_home;
    store({ id, ledger_id, kind, title, amount_home, currency_home, date: at, notes, is_deleted: false, created_at: at, updated_at: at });
  }

  const container = (id: string): Container | undefined => {
    const l = ledgers.get(id);
    return l && { id: l.id, orgId: l.organization_id };
  };
  const txnOf = (p: Json) => txns.get(String(p.transactionId));
  /** updated_at strictly increases on every change, so drift is always visible to a State Witness. */
  const touch = (t: Transaction) => {
    t.updated_at = iso(Math.max(now(), Date.parse(t.updated_at) + 1));
  };
  const listView = ({ is_deleted: _d, ...rest }: Transaction): Json => rest;
  const snapshot = (t: Transaction) => ({ id: t.id, ledger_id: t.ledger_id, title: t.title, amount_home: t.amount_home, date: t.date, is_deleted: t.is_deleted });
  const inWindow = (ledgerId: string, startMs: number | null, endMs: number | null) => listed.window(ledgerId, startMs, endMs);
  const range = (p: Json) => ({
    start: typeof p.startDate === 'string' ? Date.parse(p.startDate) : null,
    end: typeof p.endDate === 'string' ? Date.parse(p.endDate) : null,
  });
  const requireTxn = (p: Json) => {
    const t = txnOf(p);
    if (!t) throw new ApiError('agent.not_found', 'Transaction not found');
    return t;
  };

  const validateFields = (c: Checker, required: boolean) => {
    c.oneOf('kind', ['income', 'expense'], required);
    c.string('title', { required, nonEmpty: true, max: 500 });
    c.number('amount_home', { required });
    c.string('currency_home', { nonEmpty: true, max: 8 });
    c.date('date');
    c.string('notes', { nullable: true, max: 5000 });
  };

  const witnessOf = (p: Json): Json => {
    const t = txnOf(p);
    if (!t) return { kind: 'resource_version', resource: 'transaction', id: String(p.transactionId), exists: false };
    return { kind: 'resource_version', resource: 'transaction', id: t.id, ledger_id: t.ledger_id, updated_at: t.updated_at, is_deleted: t.is_deleted };
  };
  const byTransaction = (p: Json) => {
    const t = txnOf(p);
    return t && container(t.ledger_id);
  };
  const byLedger = (p: Json) => container(String(p.ledgerId));
  const transactionIdOnly = (p: Json): ValidationIssue[] => {
    const c = new Checker(p);
    c.string('transactionId', { required: true, nonEmpty: true });
    return c.issues;
  };

  const actions: Record<string, DomainAction> = {
    'transaction.create': {
      witnessed: false,
      fields: ['ledgerId', ...UPDATABLE],
      validate(p) {
        const c = new Checker(p);
        c.string('ledgerId', { required: true, nonEmpty: true });
        validateFields(c, true);
        return c.issues;
      },
      locate: byLedger,
      impact(p) {
        const l = ledgers.get(String(p.ledgerId))!;
        return {
          summary: 'Create 1 transaction',
          transaction: {
            ledger_id: l.id,
            kind: p.kind,
            title: p.title,
            amount_home: p.amount_home,
            currency_home: p.currency_home ?? l.currency_home,
            date: p.date ?? null,
          },
        };
      },
      witness: () => undefined,
      execute(p) {
        const l = ledgers.get(String(p.ledgerId));
        if (!l) throw new ApiError('agent.not_found', 'Ledger not found');
        // A zero amount drafts but is refused when written, as the authors' runtime does: the demo's execution
        // error (fixtures/targets/demo.yaml names it as writes.failing).
        if (Number(p.amount_home) === 0) throw new ApiError('agent.action_invalid', 'Invalid transaction payload');
        const at = iso(now());
        const t: Transaction = {
          id: newId('txn'),
          ledger_id: l.id,
          kind: p.kind as Transaction['kind'],
          title: String(p.title),
          amount_home: Number(p.amount_home),
          currency_home: typeof p.currency_home === 'string' ? p.currency_home : l.currency_home,
          date: typeof p.date === 'string' ? iso(Date.parse(p.date)) : at,
          notes: typeof p.notes === 'string' ? p.notes : null,
          is_deleted: false,
          created_at: at,
          updated_at: at,
        };
        store(t);
        return { transaction: { ...t } };
      },
    },
    'transaction.update': {
      witnessed: true,
      fields: ['transactionId', ...UPDATABLE],
      validate(p) {
        const c = new Checker(p);
        c.string('transactionId', { required: true, nonEmpty: true });
        validateFields(c, false);
        if (!UPDATABLE.some((f) => p[f] !== undefined)) {
          c.issues.push(issue([], `at least one of ${UPDATABLE.join(', ')} is required`));
        }
        return c.issues;
      },
      locate: byTransaction,
      impact(p) {
        const t = txnOf(p)!;
        const changed = UPDATABLE.filter((f) => p[f] !== undefined);
        // Sensitive values never enter the impact (it is echoed to clients and audited); their names do.
        const changes = Object.fromEntries(
          changed.filter((f) => f !== 'notes').map((f) => [f, { from: t[f], to: p[f] }]),
        );
        return { summary: 'Update 1 transaction', transaction: snapshot(t), changedFields: changed, changes };
      },
      witness: witnessOf,
      execute(p) {
        const t = requireTxn(p);
        if (p.kind !== undefined) t.kind = p.kind as Transaction['kind'];
        if (p.title !== undefined) t.title = String(p.title);
        if (p.amount_home !== undefined) t.amount_home = Number(p.amount_home);
        if (p.currency_home !== undefined) t.currency_home = String(p.currency_home);
        if (p.date !== undefined) reorder(t, () => (t.date = iso(Date.parse(String(p.date)))));
        if (p.notes !== undefined) t.notes = p.notes === null ? null : String(p.notes);
        touch(t);
        return { transaction: { ...t } };
      },
    },
    'transaction.delete': {
      witnessed: true,
      fields: ['transactionId'],
      validate: transactionIdOnly,
      locate: byTransaction,
      impact: (p) => ({ summary: 'Delete 1 transaction', transaction: snapshot(txnOf(p)!) }),
      witness: witnessOf,
      execute(p) {
        const t = requireTxn(p);
        reorder(t, () => (t.is_deleted = true));
        touch(t);
        return { deleted: { id: t.id, ledger_id: t.ledger_id, is_deleted: true, updated_at: t.updated_at } };
      },
    },
    'transaction.hard_delete': {
      witnessed: true,
      fields: ['transactionId'],
      validate: transactionIdOnly,
      locate: byTransaction,
      impact: (p) => ({ summary: 'Permanently delete 1 transaction', transaction: snapshot(txnOf(p)!) }),
      witness: witnessOf,
      execute(p) {
        const t = requireTxn(p);
        if (!t.is_deleted) listed.remove(t.ledger_id, t);
        txns.delete(t.id);
        return { deleted: { id: t.id, ledger_id: t.ledger_id, permanent: true } };
      },
    },
    'transactions.export_csv': {
      witnessed: false,
      fields: ['ledgerId', 'startDate', 'endDate'],
      window: { startField: 'startDate', endField: 'endDate', day: true },
      validate(p) {
        const c = new Checker(p);
        c.string('ledgerId', { required: true, nonEmpty: true });
        c.date('startDate');
        c.date('endDate');
        return c.issues;
      },
      locate: byLedger,
      impact(p) {
        const { start: s, end: e } = range(p);
        const rows = inWindow(String(p.ledgerId), s, e).length;
        return { summary: `Export ${rows} transactions`, ledger_id: p.ledgerId, startDate: p.startDate ?? null, endDate: p.endDate ?? null, rows };
      },
      witness: () => undefined,
      execute(p, ctx) {
        const { start: s, end: e } = range(p);
        const rows = inWindow(String(p.ledgerId), s, e).slice(0, ctx.maxExportRows);
        const header = 'id,date,kind,title,amount_home,currency_home';
        const lines = rows.map((t) => [t.id, t.date, t.kind, csvCell(t.title), t.amount_home, t.currency_home].join(','));
        // rowCount as the authors' runtime names it (one target file describes both), rows as this one always did.
        return { export: { format: 'csv', rows: rows.length, rowCount: rows.length, csv: [header, ...lines].join('\n') } };
      },
    },
  };

  const reads: DomainRead[] = [
    {
      tool: 'ledger.list',
      path: '/ledgers',
      auditAction: 'agent.ledger.list',
      run(q) {
        const items = [...ledgers.values()]
          .filter((l) => l.organization_id === q.orgId)
          .filter((l) => q.allowedContainerIds === null || q.allowedContainerIds.includes(l.id))
          .map((l) => ({ ...l }));
        return { items, total: items.length };
      },
    },
    {
      tool: 'transaction.list',
      path: '/transactions',
      auditAction: 'agent.transaction.list',
      containerParam: 'ledgerId',
      window: { startParam: 'startDate', endParam: 'endDate' },
      paged: true,
      run(q) {
        return pageOf(inWindow(q.containerId!, q.window?.start ?? null, q.window?.end ?? null), q, listView);
      },
    },
  ];

  return {
    orgId: 'org_demo',
    containerNoun: 'Ledger',
    containerPolicyField: 'allowed_ledger_ids',
    scopes: ['ledger.read', 'transaction.read', 'transaction.write', 'transaction.delete', 'transaction.export'],
    tools: TOOLS,
    payloadSchemas: PAYLOAD_SCHEMAS,
    // The authors' demo domain: `title: "[redacted]"`, `notes: null`.
    // The title is redacted too, as the authors' demo domain does.
    redactions: { title: '[redacted]', notes: null },
    container,
    reads,
    actions,
  };
}
