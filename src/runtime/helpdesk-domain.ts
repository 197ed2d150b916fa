/**
 * The helpdesk domain: a second product behind the same protocol machinery, as unlike the ledger demo as a
 * real one would be. Projects (`prj_…`) are the containers, tickets (`tkt_…`) the resources; tickets are
 * windowed by `opened_at` (openedFrom/openedTo), carry the requester's contact details as sensitive fields,
 * are versioned by an integer `version` (the State Witness), are closed (a status change) or, by a
 * high-risk tool of its own, deleted for good, and are exported per project (bounded by max_export_rows). Tenant org_helpdesk; org_globex is a second tenant with a project of its own, for cross-tenant
 * probes. Write tools describe their payloads in inputSchema, as a product with a real schema would.
 */
import type { ToolDescriptor, ValidationIssue } from '../protocol/types.js';
import { actionDescriptor, csvCell, objectWith, OrderedGroups, pageOf, type Container, type Domain, type DomainAction, type DomainRead } from './domain.js';
import { ApiError, Checker, issue, type Json } from './errors.js';

type Status = 'open' | 'pending' | 'closed';
type Priority = 'low' | 'normal' | 'high' | 'urgent';

interface Project { id: string; key: string; name: string; org_id: string; default_assignee: string }
interface Ticket {
  id: string;
  project_id: string;
  subject: string;
  description: string | null;
  status: Status;
  priority: Priority;
  assignee: string | null;
  tags: string[];
  requester_email: string;
  requester_phone: string | null;
  comment_count: number;
  resolution: string | null;
  opened_at: string;
  updated_at: string;
  closed_at: string | null;
  /** Incremented by every change: what a State Witness binds. */
  version: number;
}

const DAY = 86_400_000;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const RESOLUTIONS = ['solved', 'duplicate', 'wont_fix'] as const;
const UPDATABLE = ['subject', 'priority', 'assignee', 'tags'] as const;
/** The columns of a ticket export: no contact details (an export leaves the product). */
const EXPORTED = ['id', 'subject', 'status', 'priority', 'assignee', 'opened_at', 'closed_at'] as const;

const str = { type: 'string' };

const TOOLS: ToolDescriptor[] = [
  {
    kind: 'read',
    name: 'project.list',
    description: 'List the helpdesk projects this integration can access.',
    requiredScopes: ['project.read'],
    risk: 'low',
    requiresConfirmation: false,
    http: { method: 'GET', path: '/api/agent/v1/projects' },
    inputSchema: { type: 'object', properties: {} },
    outputSchema: objectWith('items', 'array'),
  },
  {
    kind: 'read',
    name: 'ticket.list',
    description: 'List the tickets of a project, newest first, optionally by opening date, with pagination.',
    requiredScopes: ['ticket.read'],
    risk: 'low',
    requiresConfirmation: false,
    http: { method: 'GET', path: '/api/agent/v1/tickets' },
    inputSchema: {
      type: 'object',
      required: ['projectId'],
      properties: {
        projectId: str,
        openedFrom: { type: 'string', format: 'date-time' },
        openedTo: { type: 'string', format: 'date-time' },
        page: { type: 'integer' },
        pageSize: { type: 'integer' },
      },
    },
    outputSchema: { type: 'object', properties: { items: { type: 'array' }, total: { type: 'integer' } } },
  },
  actionDescriptor('ticket.create', 'Open a ticket in a project on behalf of a requester.', ['ticket.write'], 'medium', 'ticket', {
    required: ['projectId', 'subject', 'requester_email'],
    properties: { projectId: str, subject: str, description: str, priority: { enum: PRIORITIES }, requester_email: str, requester_phone: str, assignee: str },
  }),
  actionDescriptor('ticket.comment', 'Add a comment to an open ticket.', ['ticket.write'], 'medium', 'comment', {
    required: ['ticketId', 'body'],
    properties: { ticketId: str, body: str, internal: { type: 'boolean' } },
  }),
  actionDescriptor('ticket.update', 'Change the subject, priority, assignee or tags of a ticket.', ['ticket.write'], 'medium', 'ticket', {
    required: ['ticketId'],
    properties: { ticketId: str, subject: str, priority: { enum: PRIORITIES }, assignee: str, tags: { type: 'array', items: str } },
  }),
  // Two scopes: closing is a ticket write that also needs the close permission.
  actionDescriptor('ticket.close', 'Close a ticket with a resolution; the requester is notified.', ['ticket.write', 'ticket.close'], 'high', 'ticket', {
    required: ['ticketId', 'resolution'],
    properties: { ticketId: str, resolution: { enum: RESOLUTIONS } },
  }),
  // Permanent: the ticket and its history are gone (a mistaken ticket, a GDPR erasure request).
  actionDescriptor('ticket.delete', 'Permanently delete a ticket and its comments.', ['ticket.delete'], 'high', 'deleted', {
    required: ['ticketId'],
    properties: { ticketId: str, reason: str },
  }),
  // Read and export: the rows leave the product, so exporting needs a scope of its own.
  actionDescriptor('ticket.export', "Export a project's tickets as CSV, newest first, optionally by opening date.", ['ticket.read', 'ticket.export'], 'high', 'export', {
    required: ['projectId'],
    properties: { projectId: str, openedFrom: { type: 'string', format: 'date-time' }, openedTo: { type: 'string', format: 'date-time' } },
  }),
  // High risk for its blast radius, yet it needs only the scope every ticket write needs.
  actionDescriptor('ticket.reassign_all', 'Move every open ticket of a project from one assignee to another.', ['ticket.write'], 'high', 'reassigned', {
    required: ['projectId', 'fromAssignee', 'toAssignee'],
    properties: { projectId: str, fromAssignee: str, toAssignee: str },
  }),
];

/** The payload fields a tool's inputSchema declares: everything else is dropped before storing. */
function fieldsOf(name: string): string[] {
  const input = TOOLS.find((t) => t.name === name)!.inputSchema as { properties: { payload: { properties: Record<string, unknown> } } };
  return Object.keys(input.properties.payload.properties);
}

export function createHelpdeskDomain(now: () => number, newId: (prefix: string) => string): Domain {
  const iso = (ms: number) => new Date(ms).toISOString();
  const start = now();
  const projects = new Map<string, Project>();
  const tickets = new Map<string, Ticket>();

  for (const p of [
    { id: 'prj_support', key: 'SUP', name: 'Customer Support', org_id: 'org_helpdesk', default_assignee: 'agt_maya' },
    { id: 'prj_billing', key: 'BIL', name: 'Billing Desk', org_id: 'org_helpdesk', default_assignee: 'agt_omar' },
    { id: 'prj_globex_it', key: 'GIT', name: 'Globex IT', org_id: 'org_globex', default_assignee: 'agt_globex' },
  ]) projects.set(p.id, p);

  const seed: [string, string, string, Status, Priority, string, string, string | null, number][] = [
    ['tkt_1001', 'prj_support', 'Cannot reset password', 'open', 'normal', 'agt_maya', 'dana.reyes@example.com', '+1-555-0142', 2],
    ['tkt_1002', 'prj_support', 'Invoice PDF is blank', 'pending', 'high', 'agt_maya', 'li.wei@example.org', null, 12],
    ['tkt_1003', 'prj_support', 'Feature request: dark mode', 'open', 'low', 'agt_jon', 'sam.okafor@example.net', null, 45],
    ['tkt_1004', 'prj_billing', 'Charged twice in March', 'open', 'urgent', 'agt_omar', 'p.novak@example.com', '+44-20-7946-0018', 6],
    ['tkt_1005', 'prj_billing', 'Refund not received', 'closed', 'normal', 'agt_omar', 'greta.h@example.de', null, 80],
    ['tkt_1006', 'prj_support', 'SSO login loop', 'open', 'high', 'agt_jon', 'it-admin@example.io', '+1-555-0199', 100],
    ['tkt_1007', 'prj_billing', 'Update VAT number', 'pending', 'low', 'agt_omar', 'finance@example.co', null, 125],
    ['tkt_2001', 'prj_globex_it', 'VPN certificate expired', 'open', 'urgent', 'agt_globex', 'ops@globex.example', '+1-555-0100', 4],
  ];
  /** Each project's tickets, newest opened first (then id, descending): what ticket.list and ticket.export show. */
  const listed = new OrderedGroups<Ticket>((t) => t.opened_at, (t) => t.id);
  const store = (t: Ticket) => {
    tickets.set(t.id, t);
    listed.add(t.project_id, t);
  };
  for (const [id, project_id, subject, status, priority, assignee, requester_email, requester_phone, daysAgo] of seed) {
    const at = iso(start - daysAgo * DAY);
    store({
      id, project_id, subject, description: null, status, priority, assignee, tags: [], requester_email, requester_phone, comment_count: 0,
      resolution: status === 'closed' ? 'solved' : null, opened_at: at, updated_at: at, closed_at: status === 'closed' ? at : null, version: 1,
    });
  }

  const container = (id: string): Container | undefined => {
    const p = projects.get(id);
    return p && { id: p.id, orgId: p.org_id };
  };
  const ticketOf = (p: Json) => tickets.get(String(p.ticketId));
  const requireTicket = (p: Json) => {
    const t = ticketOf(p);
    if (!t) throw new ApiError('agent.not_found', 'Ticket not found');
    return t;
  };
  /** Every change bumps the version; updated_at strictly increases too. */
  const touch = (t: Ticket) => {
    t.version += 1;
    t.updated_at = iso(Math.max(now(), Date.parse(t.updated_at) + 1));
  };
  const view = (t: Ticket): Json => ({ ...t, tags: [...t.tags] });
  /** What close and update show of a ticket: no contact details (impacts are echoed and audited). */
  const summary = (t: Ticket) => ({ id: t.id, project_id: t.project_id, subject: t.subject, status: t.status, priority: t.priority, assignee: t.assignee });
  const byTicket = (p: Json) => {
    const t = ticketOf(p);
    return t && container(t.project_id);
  };
  const byProject = (p: Json) => container(String(p.projectId));
  /** A project's tickets opened inside [from, to] (either end open), newest first: what ticket.list and ticket.export show. */
  const ticketsOf = (projectId: string, from: number | null, to: number | null) => listed.window(projectId, from, to);
  const exportRange = (p: Json) => ({
    from: typeof p.openedFrom === 'string' ? Date.parse(p.openedFrom) : null,
    to: typeof p.openedTo === 'string' ? Date.parse(p.openedTo) : null,
  });
  const openAssignedTo = (projectId: string, assignee: string) =>
    listed.of(projectId).filter((t) => t.status !== 'closed' && t.assignee === assignee).sort((a, b) => a.id.localeCompare(b.id));

  const email = (c: Checker) => {
    const v = c.string('requester_email', { required: true, nonEmpty: true, max: 254 });
    if (v !== undefined && !/^[^@\s]+@[^@\s]+$/.test(v)) c.issues.push(issue(['requester_email'], 'requester_email must be an email address', 'invalid_string'));
  };
  const tagList = (c: Checker) => {
    const tags = c.stringArray('tags');
    if (tags && (tags.length > 20 || tags.some((t) => t.length === 0 || t.length > 100))) {
      c.issues.push(issue(['tags'], 'tags must be at most 20 non-empty strings of at most 100 characters', 'invalid_string'));
    }
  };
  const witness = (p: Json): Json => {
    const t = ticketOf(p);
    if (!t) return { kind: 'resource_version', resource: 'ticket', id: String(p.ticketId), exists: false };
    return { kind: 'resource_version', resource: 'ticket', id: t.id, project_id: t.project_id, version: t.version, status: t.status };
  };
  const validated = (fill: (c: Checker, p: Json) => void) => (p: Json): ValidationIssue[] => {
    const c = new Checker(p);
    fill(c, p);
    return c.issues;
  };

  const actions: Record<string, DomainAction> = {
    'ticket.create': {
      witnessed: false,
      fields: fieldsOf('ticket.create'),
      validate: validated((c) => {
        c.string('projectId', { required: true, nonEmpty: true });
        c.string('subject', { required: true, nonEmpty: true, max: 200 });
        c.string('description', { nullable: true, max: 10_000 });
        c.oneOf('priority', PRIORITIES);
        email(c);
        c.string('requester_phone', { nullable: true, max: 32 });
        c.string('assignee', { nullable: true, nonEmpty: true, max: 100 });
      }),
      locate: byProject,
      impact(p) {
        const project = projects.get(String(p.projectId))!;
        return {
          summary: `Open 1 ticket in ${project.name}`,
          ticket: { project_id: project.id, subject: p.subject, priority: p.priority ?? 'normal', assignee: p.assignee ?? project.default_assignee },
        };
      },
      witness: () => undefined,
      execute(p) {
        const project = projects.get(String(p.projectId));
        if (!project) throw new ApiError('agent.not_found', 'Project not found');
        const at = iso(now());
        const t: Ticket = {
          id: newId('tkt'),
          project_id: project.id,
          subject: String(p.subject),
          description: typeof p.description === 'string' ? p.description : null,
          status: 'open',
          priority: (p.priority as Priority | undefined) ?? 'normal',
          assignee: typeof p.assignee === 'string' ? p.assignee : project.default_assignee,
          tags: [],
          requester_email: String(p.requester_email),
          requester_phone: typeof p.requester_phone === 'string' ? p.requester_phone : null,
          comment_count: 0,
          resolution: null,
          opened_at: at,
          updated_at: at,
          closed_at: null,
          version: 1,
        };
        store(t);
        return { ticket: view(t) };
      },
    },
    'ticket.comment': {
      witnessed: false,
      fields: fieldsOf('ticket.comment'),
      validate: validated((c) => {
        c.string('ticketId', { required: true, nonEmpty: true });
        c.string('body', { required: true, nonEmpty: true, max: 10_000 });
        c.boolean('internal');
      }),
      locate: byTicket,
      impact: (p) => ({ summary: `Comment on ticket ${String(p.ticketId)}`, ticket: summary(ticketOf(p)!), internal: p.internal === true }),
      witness: () => undefined,
      execute(p) {
        const t = requireTicket(p);
        if (t.status === 'closed') throw new ApiError('agent.action_invalid', 'Ticket is closed');
        t.comment_count += 1;
        touch(t);
        return { comment: { id: newId('cmt'), ticket_id: t.id, body: String(p.body), internal: p.internal === true, created_at: t.updated_at } };
      },
    },
    'ticket.update': {
      witnessed: true,
      fields: fieldsOf('ticket.update'),
      validate: validated((c, p) => {
        c.string('ticketId', { required: true, nonEmpty: true });
        c.string('subject', { nonEmpty: true, max: 200 });
        c.oneOf('priority', PRIORITIES);
        c.string('assignee', { nullable: true, nonEmpty: true, max: 100 });
        tagList(c);
        if (!UPDATABLE.some((f) => p[f] !== undefined)) c.issues.push(issue([], `at least one of ${UPDATABLE.join(', ')} is required`));
      }),
      locate: byTicket,
      impact(p) {
        const t = ticketOf(p)!;
        const changed = UPDATABLE.filter((f) => p[f] !== undefined);
        return { summary: `Update ticket ${t.id}`, ticket: summary(t), changes: Object.fromEntries(changed.map((f) => [f, { from: t[f], to: p[f] }])) };
      },
      witness,
      execute(p) {
        const t = requireTicket(p);
        if (p.subject !== undefined) t.subject = String(p.subject);
        if (p.priority !== undefined) t.priority = p.priority as Priority;
        if (p.assignee !== undefined) t.assignee = p.assignee === null ? null : String(p.assignee);
        if (p.tags !== undefined) t.tags = [...(p.tags as string[])];
        touch(t);
        return { ticket: view(t) };
      },
    },
    'ticket.close': {
      witnessed: true,
      fields: fieldsOf('ticket.close'),
      validate: validated((c) => {
        c.string('ticketId', { required: true, nonEmpty: true });
        c.oneOf('resolution', RESOLUTIONS, true);
      }),
      locate: byTicket,
      impact: (p) => ({ summary: `Close ticket ${String(p.ticketId)} as ${String(p.resolution)}`, ticket: summary(ticketOf(p)!), notifiesRequester: true }),
      witness,
      execute(p) {
        const t = requireTicket(p);
        if (t.status === 'closed') throw new ApiError('agent.action_invalid', 'Ticket is already closed');
        t.status = 'closed';
        t.resolution = String(p.resolution);
        touch(t);
        t.closed_at = t.updated_at;
        return { ticket: view(t) };
      },
    },
    'ticket.delete': {
      witnessed: true,
      fields: fieldsOf('ticket.delete'),
      validate: validated((c) => {
        c.string('ticketId', { required: true, nonEmpty: true });
        c.string('reason', { nonEmpty: true, max: 500 });
      }),
      locate: byTicket,
      // §7: a delete's impact is the target row's current fields (all but the requester's contact details).
      impact(p) {
        const { requester_email: _email, requester_phone: _phone, ...fields } = view(ticketOf(p)!) as Record<string, Json>;
        return { summary: `Permanently delete ticket ${String(p.ticketId)}`, ticket: fields };
      },
      witness,
      execute(p) {
        const t = requireTicket(p);
        listed.remove(t.project_id, t);
        tickets.delete(t.id);
        return { deleted: { id: t.id, project_id: t.project_id, permanent: true } };
      },
    },
    'ticket.export': {
      witnessed: false,
      fields: fieldsOf('ticket.export'),
      window: { startField: 'openedFrom', endField: 'openedTo', day: false },
      validate: validated((c) => {
        c.string('projectId', { required: true, nonEmpty: true });
        for (const f of ['openedFrom', 'openedTo']) {
          const v = c.string(f);
          if (v !== undefined && Number.isNaN(Date.parse(v))) c.issues.push(issue([f], `${f} must be a date-time`, 'invalid_string'));
        }
      }),
      locate: byProject,
      impact(p) {
        const { from, to } = exportRange(p);
        const rows = ticketsOf(String(p.projectId), from, to).length;
        return { summary: `Export ${rows} tickets`, project_id: p.projectId, openedFrom: p.openedFrom ?? null, openedTo: p.openedTo ?? null, rows };
      },
      witness: () => undefined,
      execute(p, ctx) {
        const { from, to } = exportRange(p);
        // The high_risk tier's max_export_rows bounds what one export delivers.
        const rows = ticketsOf(String(p.projectId), from, to).slice(0, ctx.maxExportRows);
        const lines = rows.map((t) => EXPORTED.map((f) => csvCell(t[f] ?? '')).join(','));
        return { export: { format: 'csv', project_id: p.projectId, rowCount: rows.length, csv: [EXPORTED.join(','), ...lines].join('\n') } };
      },
    },
    'ticket.reassign_all': {
      witnessed: false,
      fields: fieldsOf('ticket.reassign_all'),
      validate: validated((c) => {
        c.string('projectId', { required: true, nonEmpty: true });
        const from = c.string('fromAssignee', { required: true, nonEmpty: true, max: 100 });
        const to = c.string('toAssignee', { required: true, nonEmpty: true, max: 100 });
        if (from !== undefined && from === to) c.issues.push(issue(['toAssignee'], 'toAssignee must differ from fromAssignee'));
      }),
      locate: byProject,
      impact(p) {
        const ids = openAssignedTo(String(p.projectId), String(p.fromAssignee)).map((t) => t.id);
        return { summary: `Reassign ${ids.length} open tickets`, project_id: p.projectId, fromAssignee: p.fromAssignee, toAssignee: p.toAssignee, ticketIds: ids };
      },
      witness: () => undefined,
      execute(p) {
        const moved = openAssignedTo(String(p.projectId), String(p.fromAssignee));
        for (const t of moved) {
          t.assignee = String(p.toAssignee);
          touch(t);
        }
        return { reassigned: { project_id: p.projectId, count: moved.length, ticket_ids: moved.map((t) => t.id) } };
      },
    },
  };

  const reads: DomainRead[] = [
    {
      tool: 'project.list',
      path: '/projects',
      auditAction: 'agent.project.list',
      run(q) {
        const items = [...projects.values()]
          .filter((p) => p.org_id === q.orgId)
          .filter((p) => q.allowedContainerIds === null || q.allowedContainerIds.includes(p.id))
          .map((p) => ({ ...p }));
        return { items, total: items.length };
      },
    },
    {
      tool: 'ticket.list',
      path: '/tickets',
      auditAction: 'agent.ticket.list',
      containerParam: 'projectId',
      window: { startParam: 'openedFrom', endParam: 'openedTo' },
      paged: true,
      run(q) {
        return pageOf(ticketsOf(q.containerId!, q.window?.start ?? null, q.window?.end ?? null), q, view);
      },
    },
  ];

  return {
    orgId: 'org_helpdesk',
    containerNoun: 'Project',
    containerPolicyField: 'allowed_project_ids',
    scopes: ['project.read', 'ticket.read', 'ticket.write', 'ticket.close', 'ticket.delete', 'ticket.export'],
    tools: TOOLS,
    redactions: { requester_email: null, requester_phone: null },
    container,
    reads,
    actions,
  };
}
