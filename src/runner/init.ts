/**
 * `init`: a draft target description learnt from the live server. The protocol makes a server describe
 * itself — an all-scope manifest lists every tool with scopes, risk, HTTP route and input schema; the admin
 * plane lists apps (their tenant and scopes) — and what it does not say is learnt by looking: listings show
 * containers and resources, a preflight shows which writes bind a State Witness and what a high-risk write's
 * impact holds, a policy with `allow_sensitive_fields: false` shows which fields the server redacts. Nothing
 * here executes a write: the probes are reads, preflights and two apps of our own (safety class `draft`),
 * revoked at the end. What had to be guessed is returned with what to check; the CLI renders it as YAML.
 */
import { randomBytes } from 'node:crypto';
import { AGENT_BASE, type ToolDescriptor } from '../protocol/types.js';
import { ToolError, type AdminClient, type AgentClient, type CreatedApp, type Exchange } from '../kit/check.js';
import { createAdminClient, createAgentClient, dataOf, itemsOf } from '../kit/clients.js';
import { successStatusAllowed } from '../kit/expect.js';
import type { ReadRoute, WriteEffect, WriteSample } from '../kit/target.js';
import { PersonaRegistry } from './personas.js';
import type { Transport } from './transport.js';
import { REQUIREMENTS } from '../protocol/requirements.js';

/** A requirement id standing as a word: text a check of this tool wrote. */
const WRITTEN_BY_A_CHECK = new RegExp(`\\b(?:${REQUIREMENTS.map((r) => r.id).join('|')})\\b`);

/** A key of the description with a note: `guessed` (a value to check) or `todo` (a value to fill in). */
export interface InitNote { path: string; kind: 'guessed' | 'todo'; text: string }

export interface InitResult {
  /** The description (keys in the order of fixtures/targets/demo.yaml); `todo` values are absent. */
  target: Record<string, unknown>;
  notes: InitNote[];
  /** Apps init provisioned and revoked (ids only). */
  apps: { revoked: string[]; failed: string[] };
}

export interface InitOptions {
  transport: Transport;
  adminHeaders?: Record<string, string>;
  token?: string;
}

type Row = Record<string, unknown>;
type Schema = { type?: string | string[]; enum?: unknown[]; format?: string; items?: Schema; properties?: Record<string, Schema>; required?: string[] };

/** The tenant used for cross-tenant checks when init creates it: it needs no data of its own. */
export const OTHER_ORG = 'org_conform_other';
const PAGE_SIZE = 200;
const PAGE_PARAMS = new Set(['page', 'pageSize', 'page_size', 'limit', 'offset', 'cursor']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

const isDate = (v: unknown): boolean => typeof v === 'string' && ISO_DATE.test(v) && !Number.isNaN(Date.parse(v));
const isRow = (v: unknown): v is Row => v !== null && typeof v === 'object' && !Array.isArray(v);
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const nounOf = (tool: string) => tool.split('.')[0]!.replace(/s$/, '');
const verbOf = (tool: string) => tool.split('.').slice(1).join('.').toLowerCase();

/** Every key name in a JSON value, at any depth: what an impact or a witness is made of. */
function keysDeep(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => keysDeep(x, out));
  else if (isRow(v)) for (const [k, x] of Object.entries(v)) (out.add(k), keysDeep(x, out));
  return out;
}

function okData(ex: Exchange, what: string): any {
  const d = dataOf(ex);
  if (!successStatusAllowed(ex) || d === undefined) {
    const code = (ex.response.json as { code?: unknown } | undefined)?.code;
    throw new ToolError(`${what} answered HTTP ${ex.response.status}${typeof code === 'string' ? ` ${code}` : ''}; init cannot describe this server from it`, 3);
  }
  return d;
}

/** The payload schema a write tool's input schema declares, when it declares one (the demo's does not). */
function payloadSchema(tool: ToolDescriptor): Schema | undefined {
  const p = (tool.inputSchema as Schema | undefined)?.properties?.payload;
  return p?.properties && Object.keys(p.properties).length > 0 ? p : undefined;
}

const isWrite = (t: ToolDescriptor) => (t.http?.method ?? 'POST').toUpperCase() !== 'GET';

class Drafter {
  readonly notes: InitNote[] = [];
  constructor(readonly agent: AgentClient) {}
  guess(path: string, text: string): void { this.notes.push({ path, kind: 'guessed', text }); }
  todo(path: string, text: string): void { this.notes.push({ path, kind: 'todo', text }); }
}

/** The tenant and scopes to provision: the tenant most apps of the admin plane belong to, and their scopes. */
function tenantOf(apps: Row[], d: Drafter): { orgId: string; scopes: string[] } {
  const active = apps.filter((a) => a.status === undefined || a.status === 'active');
  const count = new Map<string, number>();
  for (const a of active) if (typeof a.org_id === 'string') count.set(a.org_id, (count.get(a.org_id) ?? 0) + 1);
  const orgs = [...count].sort((a, b) => b[1] - a[1]);
  if (orgs.length === 0) throw new ToolError('the admin plane lists no active app with an org_id, so init cannot tell the tenant to describe; create one app in it first (POST /apps) and run init again', 2);
  const orgId = orgs[0]![0];
  if (orgs.length > 1) d.guess('orgId', `the tenant most apps belong to (${orgs.map(([o, n]) => `${o}: ${n}`).join(', ')}); check it is the tenant whose data the checks may read and write`);
  const scopes = [...new Set(active.filter((a) => a.org_id === orgId).flatMap((a) => (Array.isArray(a.scopes) ? a.scopes.filter((s): s is string => typeof s === 'string') : [])))];
  return { orgId, scopes };
}

/** The IETF RateLimit-Policy field (`"default";q=30;w=1` or `30;w=60`) of any answer, when the server sends one. */
function declaredRateLimit(ex: Exchange): { limit: number; windowMs: number } | undefined {
  const v = ex.response.headers['ratelimit-policy'];
  const q = v && /(?:^|[;\s])q=(\d+)/.exec(v)?.[1] || v && /^\s*(\d+)\s*;/.exec(v)?.[1];
  const w = v && /(?:^|[;\s])w=(\d+)/.exec(v)?.[1];
  return q && w ? { limit: Number(q), windowMs: Number(w) * 1000 } : undefined;
}

/** A value of the resource that names it to a human (not an id, date, number or short code): a non-disclosure marker. */
function markersOf(row: Row, rows: Row[], ids: Set<string>): string[] {
  return Object.values(row)
    .filter((v): v is string => typeof v === 'string' && v.length >= 6 && /[\s@]/.test(v) && !isDate(v) && !ids.has(v))
    .filter((v) => rows.filter((r) => Object.values(r).includes(v)).length === 1)
    .slice(0, 2);
}

/** A value for one payload field from its schema: the placeholders where the field names the resource, the container or free text. */
function valueFor(name: string, s: Schema, ctx: { idParam?: string; queryParam: string; primary: string; text: unknown }): unknown {
  if (name === ctx.idParam) return '$resourceId';
  if (name === ctx.queryParam) return ctx.primary;
  if (s.enum?.length) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'boolean') return false;
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'array') return s.items?.enum?.length ? [s.items.enum[0]] : ['$random'];
  if (/e-?mail/i.test(name)) return 'probe@openport-conform.invalid';
  return ctx.text;
}

interface WriteInfo {
  tool: ToolDescriptor;
  schema?: Schema;
  /** The payload field naming one resource, if the tool acts on one. */
  idParam?: string;
  witnessed: boolean;
  /** Keys of the impact preflight showed for the existing resource. */
  impactKeys: Set<string>;
  sample?: WriteSample;
}

/**
 * Draft the target description of the server behind `transport`. With admin headers it provisions an
 * all-scope app (and one in a second tenant, and one with a redacting policy), reads, preflights, and revokes
 * them; with only a token it drafts what that token's manifest and reads show and marks the rest to do.
 */
export async function draftTarget(opts: InitOptions): Promise<InitResult> {
  const send = (req: Parameters<Transport['send']>[0]) => opts.transport.send(req);
  const registry = new PersonaRegistry();
  const admin: AdminClient | undefined = opts.adminHeaders && Object.keys(opts.adminHeaders).length > 0 ? createAdminClient(send, opts.adminHeaders, registry.hooks) : undefined;
  if (!admin && !opts.token) throw new ToolError('init needs admin headers (--admin-header) or an agent token (--token) to read the server', 2);
  try {
    return { ...(await draft(opts, admin, send)), apps: await registry.cleanup(admin) };
  } catch (e) {
    await registry.cleanup(admin);
    throw e;
  }
}

async function draft(opts: InitOptions, admin: AdminClient | undefined, send: (req: Parameters<Transport['send']>[0]) => Promise<Exchange>): Promise<Omit<InitResult, 'apps'>> {
  const tag = randomBytes(3).toString('hex');
  let orgId: string;
  let scopes: string[] = [];
  let app: CreatedApp | undefined;
  const d = new Drafter(createAgentClient(send, opts.token));
  if (admin) {
    const listing = await admin.request({ method: 'GET', path: '/api/agent-admin/v1/apps' });
    if (listing.response.status === 401 || listing.response.status === 403) {
      throw new ToolError(`the admin plane refused the --admin-header credentials (${Object.keys(opts.adminHeaders!).join(', ')}): GET /apps answered HTTP ${listing.response.status}; check the header name and value`, 'OPC_E_ADMIN_REFUSED');
    }
    const apps = itemsOf(listing)?.filter(isRow) ?? [];
    ({ orgId, scopes } = tenantOf(apps, d));
    app = await admin.createApp({ name: `openport-conform init ${tag}`, scopes, orgId, serviceUserId: 'svc_conform_init' });
  }
  const agent = app ? createAgentClient(send, app.token) : d.agent;
  const manifestEx = await agent.manifest();
  const manifest = okData(manifestEx, `GET ${AGENT_BASE}/manifest`);
  const tools: ToolDescriptor[] = Array.isArray(manifest?.tools) ? manifest.tools : [];
  if (tools.length === 0) throw new ToolError('the manifest lists no tool: init has nothing to describe (a token needs the scopes of the tools to see them)', 2);
  if (!admin) {
    orgId = String(manifest?.app?.orgId ?? manifest?.app?.org_id ?? '');
    if (!orgId) throw new ToolError('the manifest names no app.orgId and no admin headers were given: init cannot tell the tenant', 2);
  }
  scopes = [...new Set([...scopes, ...tools.flatMap((t) => t.requiredScopes ?? [])])];
  // Tenants.
  const target: Record<string, unknown> = { orgId: orgId!, otherOrgId: OTHER_ORG };
  if (admin) await admin.createApp({ name: `openport-conform init other ${tag}`, scopes, orgId: OTHER_ORG, serviceUserId: 'svc_conform_init_other' });
  else d.todo('otherOrgId', `a second tenant the admin plane accepts apps in (it needs no data); ${OTHER_ORG} is a placeholder no server confirmed`);
  target.scopes = scopes;
  target.tools = Object.fromEntries(tools.map((t) => [t.name, { scopes: t.requiredScopes ?? [], risk: t.risk, write: isWrite(t) }]));

  // Reads and containers.
  const readTools = tools.filter((t) => !isWrite(t) && t.http?.path);
  const required = (t: ToolDescriptor) => ((t.inputSchema as Schema | undefined)?.required ?? []).filter((p) => !PAGE_PARAMS.has(p));
  const listTool = readTools.find((t) => required(t).length === 0 && readTools.some((o) => required(o).length === 1));
  const contents = readTools.find((t) => required(t).length === 1);
  if (!listTool || !contents) {
    throw new ToolError(`init found no read listing containers (no required argument) and no read listing one container's resources (one required argument) among ${readTools.map((t) => t.name).join(', ') || 'no reads'}; write containers, readBack, sensitiveRead and dateRange by hand (docs/targets.md, reference section)`, 2);
  }
  const queryParam = required(contents)[0]!;
  const readRoutes: ReadRoute[] = readTools.map((t) => ({ tool: t.name, path: t.http!.path, scopes: t.requiredScopes ?? [] }));
  const readApi = createAgentClient(send, agent.token, readRoutes);
  const containerIds = (itemsOf(await readApi.read(listTool.name)) ?? []).filter(isRow).map((r) => r.id).filter((id): id is string => typeof id === 'string');
  const paged = Object.keys((contents.inputSchema as Schema | undefined)?.properties ?? {}).includes('pageSize');
  const pageQuery: Record<string, number> = paged ? { pageSize: PAGE_SIZE } : {};
  const rowsOf = new Map<string, Row[]>();
  for (const id of containerIds.slice(0, 20)) rowsOf.set(id, (itemsOf(await readApi.read(contents.name, { [queryParam]: id, ...pageQuery })) ?? []).filter(isRow));
  const byRows = [...rowsOf].sort((a, b) => b[1].length - a[1].length);
  if (byRows.length < 2 || byRows[0]![1].length === 0) {
    throw new ToolError(`${listTool.name} lists ${byRows.length} container(s) of ${orgId!}${byRows.length ? ` (${byRows.map(([id, r]) => `${id}: ${r.length} rows`).join(', ')})` : ''}; the checks need two, one of them holding a resource: create them, or write containers and existingResourceId by hand`, 2);
  }
  const [primary, rows] = byRows[0]!;
  const secondary = byRows[1]![0];
  target.reads = readTools.map((t) => ({ tool: t.name, path: t.http!.path, ...(t === contents ? { query: { [queryParam]: primary } } : {}), scopes: t.requiredScopes ?? [] }));
  for (const t of readTools) for (const p of required(t)) if (t !== contents) d.todo(`reads/${t.name}/query/${p}`, `a value for the required argument ${p} of ${t.name}`);
  target.containers = { primary, secondary, queryParam, contentsTool: contents.name, listTool: listTool.name };
  if (byRows.length > 2) d.guess('containers/secondary', `the container with the most resources is primary; of ${byRows.length - 1} others this one was taken`);

  // The existing resource: one the tool did not create, with values that name it.
  const ids = new Set([...containerIds, ...rows.map((r) => String(r.id))]);
  // The tool names what it writes "openport-conform …", or by the check that wrote it (FUZZ-005's resources).
  const mine = (r: Row) => Object.values(r).some((v) => typeof v === 'string' && (/openport-conform/i.test(v) || WRITTEN_BY_A_CHECK.test(v)));
  const candidates = rows.filter((r) => typeof r.id === 'string' && !mine(r));
  const existing = [...candidates].sort((a, b) => markersOf(b, rows, ids).length - markersOf(a, rows, ids).length)[0];
  if (!existing) throw new ToolError(`${contents.name} of ${primary} lists no resource that openport-conform did not create; create one, or write existingResourceId by hand`, 2);
  const existingId = existing.id as string;
  target.existingResourceId = existingId;
  const markers = markersOf(existing, rows, ids);
  if (markers.length === 0) d.todo('existingResourceMarkers', `no value of ${existingId} names it uniquely (free text of six characters or more); give one its own tenant sees`);
  else target.existingResourceMarkers = markers;

  // Writes: which take one resource, which bind a witness, what a preflight's impact holds.
  const writeTools = tools.filter(isWrite);
  const noun = nounOf(contents.name);
  const containerField = snake(queryParam);
  const infos: WriteInfo[] = [];
  for (const tool of writeTools) {
    const schema = payloadSchema(tool);
    const props = Object.keys(schema?.properties ?? {});
    const idCandidates = schema ? props.filter((p) => /(Id|_id)$/.test(p) && p !== queryParam) : [`${noun}Id`, `${noun}_id`, 'id'];
    let info: WriteInfo = { tool, schema, witnessed: false, impactKeys: new Set() };
    // A server may refuse an update that changes nothing: try the required fields alone, then with a free-text field.
    const tries = idCandidates.flatMap((idParam) => {
      const base = schemaPayload(schema, { idParam, queryParam, primary, text: 'openport-conform init' }) ?? { [idParam]: '$resourceId' };
      const withText = freeTextFields({ tool, schema, idParam, witnessed: false, impactKeys: new Set() }, rows, containerField).find((f) => !(f in base));
      return [{ idParam, payload: base }, ...(withText ? [{ idParam, payload: { ...base, [withText]: 'openport-conform init' } }] : [])];
    });
    for (const { idParam, payload } of tries) {
      const ex = await agent.preflight(tool.name, fill(payload, existingId));
      const pre = dataOf(ex);
      if (!successStatusAllowed(ex) || !pre) continue;
      const witnessed = pre.stateWitness !== null && pre.stateWitness !== undefined;
      // A server that preflights anything (the authors' create) shows no witness: only a witness, or the schema, proves the field names a resource.
      if (!witnessed && !schema) continue;
      info = { tool, schema, idParam: witnessed || (schema?.required ?? []).includes(idParam) ? idParam : undefined, witnessed, impactKeys: keysDeep(pre.impact) };
      break;
    }
    infos.push(info);
  }

  const medium = infos.filter((i) => i.tool.risk !== 'high');
  const create = pickCreate(medium, queryParam);
  const update = medium.filter((i) => i.witnessed && i.idParam).sort((a, b) => Number(/update|edit|patch|modify/.test(verbOf(b.tool.name))) - Number(/update|edit|patch|modify/.test(verbOf(a.tool.name))))[0];
  const high = pickHighRisk(infos.filter((i) => i.tool.risk === 'high' && i.witnessed && i.idParam), [...rowsOf.values()].flat());
  if (!create) d.todo('writes/create', 'no medium-risk write tool creates a resource in a container (create/add/new/open); write the create sample');
  if (!update) d.todo('writes/update', 'no medium-risk write tool of one resource binds a State Witness on preflight; write the update sample');
  if (!high) d.todo('writes/highRisk', 'no high-risk write tool of one resource binds a State Witness on preflight and shows its effect in a read-back; write the high-risk sample');

  const textField = (i: WriteInfo) => freeTextFields(i, rows, containerField)[0];
  const writes: Record<string, unknown> = {};
  if (create) {
    writes.create = sampleOf(create, createPayload(create, rows, { queryParam, primary, containerField }, d), { resultIdPath: `${noun}.id` });
    if (!create.schema) d.guess('writes/create/payload', `${create.tool.name}'s manifest does not describe its payload: the fields are copied from an existing ${noun} (dates and ids left out) and "$random" marks the free text; check them against the tool's documentation`);
    d.guess('writes/create/resultIdPath', `the created resource's id as ${noun}.id inside the execution's result; check one execution of ${create.tool.name}`);
  }
  if (update) {
    const text = update.schema ? textField(update) : freeTextFields(update, rows, containerField).find((f) => f !== undefined);
    writes.update = sampleOf(update, { [update.idParam!]: '$resourceId', ...(text ? { [text]: 'openport-conform update' } : {}) }, { witnessed: true });
    if (!update.schema) d.guess('writes/update/payload', `the field ${text ?? '(none)'} is taken from the rows of ${contents.name}: check that ${update.tool.name} changes it`);
  }
  if (high) {
    const payload = schemaPayload(high.info.schema, { idParam: high.info.idParam, queryParam, primary, text: 'openport-conform' }) ?? { [high.info.idParam!]: '$resourceId' };
    writes.highRisk = sampleOf(high.info, payload, { witnessed: true, effect: high.effect });
    d.guess('writes/highRisk/effect', `${high.why}; check what a read-back of ${noun} shows after ${high.info.tool.name} ran`);
  }
  const drift = update && high ? driftOf(update, high.info, rows, containerField) : undefined;
  if (update && high && !drift) d.todo('writes/drift', `no field of ${update.tool.name} was found outside ${high.info.tool.name}'s impact; write an update that changes the resource's version only`);
  if (update && drift) writes.drift = sampleOf(update, { [update.idParam!]: '$resourceId', [drift.field]: drift.value }, { witnessed: true });
  if (update && drift && !update.schema) d.guess('writes/drift/payload', `${drift.field} is a free-text field of ${noun} that ${high!.info.tool.name}'s impact does not show; check that ${update.tool.name} changes it`);
  const named = new Set([create, update, high?.info].filter(Boolean).map((i) => i!.tool.name));
  const others: WriteSample[] = [];
  for (const i of infos.filter((x) => !named.has(x.tool.name))) {
    const payload = i.schema ? schemaPayload(i.schema, { idParam: i.idParam, queryParam, primary, text: '$random' }) : i.idParam ? { [i.idParam]: '$resourceId' } : await containerPayload(agent, i, queryParam, primary);
    if (payload) others.push(sampleOf(i, payload, i.witnessed ? { witnessed: true } : {}));
    else d.todo(`writes/others/${i.tool.name}`, `no payload of ${i.tool.name} was found that its preflight accepts; checks that call every write tool guess one (a refusal of a guess is never a failure)`);
  }
  if (others.length) writes.others = others;
  target.writes = writes;

  target.readBack = { tool: contents.name, query: { [queryParam]: primary, ...pageQuery }, itemsField: 'items', idField: 'id' };
  target.sensitiveFields = admin ? await redactedFields(admin, send, { orgId: orgId!, scopes, tag }, readRoutes, contents.name, { [queryParam]: primary, ...pageQuery }, rows) : [];
  if (!admin) d.todo('sensitiveFields', 'fields allow_sensitive_fields:false redacts: without admin headers init cannot set a policy to see them');
  else if ((target.sensitiveFields as string[]).length === 0) d.guess('sensitiveFields', 'a policy with allow_sensitive_fields:false changed no field of the rows read; name the fields your server treats as sensitive');
  target.sensitiveRead = { tool: contents.name, query: { [queryParam]: primary, ...pageQuery } };
  const range = dateRangeOf(contents, queryParam, rows);
  if (range) {
    target.dateRange = { tool: contents.name, query: { [queryParam]: primary }, ...range.keys };
    if (range.guessed) d.guess('dateRange/field', range.guessed);
  } else d.todo('dateRange', `${contents.name} declares no pair of date-range arguments (start/end, …From/…To); name the windowed read`);
  const allowList = `allowed_${nounOf(listTool.name)}_ids`;
  target.dataPolicy = { containerField: allowList };
  if (!admin || !(await enforcesAllowList(admin, send, { orgId: orgId!, scopes, tag }, readRoutes, contents.name, queryParam, primary, secondary, allowList))) {
    d.guess('dataPolicy/containerField', `${allowList} (allowed_<container>_ids, after the brief's data policy) was not seen refusing a read outside it; check the name of your data policy's container allow-list`);
  }
  const rate = declaredRateLimit(manifestEx);
  target.rateLimit = rate ?? { limit: 240, windowMs: 60_000 };
  if (!rate) d.guess('rateLimit', 'the server sent no RateLimit-Policy field: 240 per 60 s is the authors\' runtime\'s limit; declare yours (fixed.rateLimit: true) if you know it');
  // The tool map is the server's own manifest; sensitive fields bind when the server was seen redacting them.
  target.fixed = { tools: true, sensitiveFields: admin !== undefined && (target.sensitiveFields as string[]).length > 0, rateLimit: rate !== undefined };
  return { target, notes: d.notes };
}

function fill(payload: Record<string, unknown>, id: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(payload).replaceAll('"$resourceId"', JSON.stringify(id)).replaceAll('"$random"', '"openport-conform init"'));
}

function schemaPayload(schema: Schema | undefined, ctx: { idParam?: string; queryParam: string; primary: string; text: unknown }): Record<string, unknown> | undefined {
  if (!schema?.properties) return undefined;
  const out: Record<string, unknown> = {};
  for (const name of schema.required ?? []) out[name] = valueFor(name, schema.properties[name] ?? {}, ctx);
  return out;
}

function sampleOf(i: WriteInfo, payload: Record<string, unknown>, extra: Partial<WriteSample>): WriteSample {
  return { action: i.tool.name, risk: i.tool.risk, scopes: i.tool.requiredScopes ?? [], payload, ...extra };
}

const CREATE_VERB = /(^|[._])(create|add|new|open|insert|post)/;

/** The create: a medium write that names the container and no resource (by its schema, else by its name). */
function pickCreate(medium: WriteInfo[], queryParam: string): WriteInfo | undefined {
  const bySchema = medium.find((i) => i.schema?.required?.includes(queryParam) && !i.idParam);
  return bySchema ?? medium.find((i) => !i.witnessed && CREATE_VERB.test(verbOf(i.tool.name)));
}

/** String fields that hold free text in the resource's rows (a value with a space, or null): what a probe may overwrite. */
function freeTextFields(i: WriteInfo, rows: Row[], containerField: string): string[] {
  if (i.schema?.properties) {
    return Object.entries(i.schema.properties).filter(([n, s]) => n !== i.idParam && !/(Id|_id)$/.test(n) && !s.enum && (s.type === 'string' || s.type === undefined) && !/e-?mail|phone/i.test(n)).map(([n]) => n);
  }
  const fields = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((f) => f !== 'id' && f !== containerField && !/_at$|_id$/.test(f));
  return fields.filter((f) => rows.every((r) => r[f] === null || r[f] === undefined || (typeof r[f] === 'string' && !isDate(r[f]))) && rows.some((r) => typeof r[f] === 'string' && /\s/.test(r[f] as string)));
}

/** The create's payload: from its schema, else the fields of an existing resource (ids, dates and nulls left out). */
function createPayload(i: WriteInfo, rows: Row[], c: { queryParam: string; primary: string; containerField: string }, d: Drafter): Record<string, unknown> {
  const text = freeTextFields(i, rows, c.containerField)[0];
  if (i.schema) {
    const out = schemaPayload(i.schema, { queryParam: c.queryParam, primary: c.primary, text: '$random' })!;
    if (!Object.values(out).includes('$random') && text) out[text] = '$random';
    return out;
  }
  const row = rows[0] ?? {};
  const out: Record<string, unknown> = { [c.queryParam]: c.primary };
  for (const [k, v] of Object.entries(row)) {
    // Another row's free text would repeat its values (a non-disclosure marker, say) in every resource the checks create.
    const freeText = typeof v === 'string' && /\s/.test(v);
    if (k === 'id' || k === c.containerField || /_at$|_id$|^is_/.test(k) || v === null || isDate(v) || typeof v === 'object' || (freeText && k !== text)) continue;
    out[k] = k === text ? '$random' : typeof v === 'number' ? 1.25 : v;
  }
  if (!text) d.todo('writes/create/payload', 'no free-text field was found to carry "$random"; give the create one so checks recognise what they created');
  return out;
}

/** The documented rule: a witnessed high-risk write of one resource whose effect a read-back shows; the least destructive first. */
function pickHighRisk(candidates: WriteInfo[], rows: Row[]): { info: WriteInfo; effect: WriteEffect; why: string } | undefined {
  const ranked = candidates.flatMap((info) => {
    const verb = verbOf(info.tool.name);
    const text = `${verb} ${info.tool.description ?? ''}`.toLowerCase();
    // A status change: the verb names a value some row already has (close → closed).
    const stem = verb.replace(/e$/, '');
    for (const f of [...new Set(rows.flatMap((r) => Object.keys(r)))]) {
      const value = rows.map((r) => r[f]).find((v) => typeof v === 'string' && v.length > 2 && v.toLowerCase().startsWith(stem) && !/\s/.test(v));
      if (typeof value === 'string') return [{ info, rank: 0, effect: { field: f, equals: value } as WriteEffect, why: `${info.tool.name} is taken to set ${f} to "${value}" (a value rows already show)` }];
    }
    if (/delete|remove|archive|trash|purge|destroy/.test(text)) {
      const permanent = /hard|permanent|purge|destroy/.test(text);
      const flag = [...info.impactKeys].find((k) => /^is_(deleted|archived|removed)$|^(deleted|archived)$/.test(k));
      if (!permanent && flag) return [{ info, rank: 1, effect: { absent: true, field: flag, equals: true }, why: `${info.tool.name} is taken for a soft delete: the row leaves the listing or shows ${flag}: true` }];
      return [{ info, rank: permanent ? 3 : 2, effect: { absent: true }, why: `${info.tool.name} is taken to remove the row from the listing` }];
    }
    return [];
  });
  return ranked.sort((a, b) => a.rank - b.rank)[0];
}

/** A field the update changes that the high-risk write's impact does not show: drift that moves the witness only. */
function driftOf(update: WriteInfo, high: WriteInfo, rows: Row[], containerField: string): { field: string; value: unknown } | undefined {
  const outside = (f: string) => !high.impactKeys.has(f);
  if (update.schema?.properties) {
    const props = Object.entries(update.schema.properties).filter(([n]) => n !== update.idParam && outside(n) && outside(snake(n)));
    const list = props.find(([, s]) => s.type === 'array' && !s.items?.enum);
    if (list) return { field: list[0], value: ['$random'] };
    const text = props.find(([n, s]) => !s.enum && s.type === 'string' && !/(Id|_id)$/.test(n));
    return text ? { field: text[0], value: '$random' } : undefined;
  }
  const field = freeTextFields(update, rows, containerField).find(outside);
  return field ? { field, value: '$random' } : undefined;
}

/** A payload for a write of no one resource (an export, say): the container, if its preflight accepts that. */
async function containerPayload(agent: AgentClient, i: WriteInfo, queryParam: string, primary: string): Promise<Record<string, unknown> | undefined> {
  const payload = { [queryParam]: primary };
  const ex = await agent.preflight(i.tool.name, payload);
  return successStatusAllowed(ex) && dataOf(ex) !== undefined ? payload : undefined;
}

/** The fields a policy with allow_sensitive_fields:false changes in the same rows: what the server treats as sensitive. */
async function redactedFields(admin: AdminClient, send: (req: any) => Promise<Exchange>, app: { orgId: string; scopes: string[]; tag: string }, reads: ReadRoute[], tool: string, query: Record<string, string | number>, rows: Row[]): Promise<string[]> {
  const redacting = await admin.createApp({ name: `openport-conform init redacted ${app.tag}`, scopes: app.scopes, orgId: app.orgId, serviceUserId: 'svc_conform_init_redacted' });
  await admin.setPolicy(redacting.appId, { data: { allow_sensitive_fields: false } });
  const seen = (itemsOf(await createAgentClient(send, redacting.token, reads).read(tool, query)) ?? []).filter(isRow);
  const changed = new Set<string>();
  for (const r of seen) {
    const before = rows.find((x) => x.id === r.id);
    if (before) for (const k of Object.keys(before)) if (JSON.stringify(before[k]) !== JSON.stringify(r[k]) && before[k] !== null && !/_at$/.test(k)) changed.add(k);
  }
  return [...changed];
}

/** Does a policy allowing only `secondary` under `field` refuse a read of `primary`? Then `field` is the allow-list. */
async function enforcesAllowList(admin: AdminClient, send: (req: any) => Promise<Exchange>, app: { orgId: string; scopes: string[]; tag: string }, reads: ReadRoute[], tool: string, queryParam: string, primary: string, secondary: string, field: string): Promise<boolean> {
  const limited = await admin.createApp({ name: `openport-conform init allow-list ${app.tag}`, scopes: app.scopes, orgId: app.orgId, serviceUserId: 'svc_conform_init_allow' });
  await admin.setPolicy(limited.appId, { data: { [field]: [secondary] } });
  const ex = await createAgentClient(send, limited.token, reads).read(tool, { [queryParam]: primary });
  return ex.response.status === 403;
}

/** The windowed read's range arguments (a …From/…To or start…/end… pair) and the row field they window. */
function dateRangeOf(contents: ToolDescriptor, queryParam: string, rows: Row[]): { keys: { startParam: string; endParam: string; field: string }; guessed?: string } | undefined {
  const props = Object.keys((contents.inputSchema as Schema | undefined)?.properties ?? {}).filter((p) => p !== queryParam && !PAGE_PARAMS.has(p));
  const startParam = props.find((p) => /^(start|from|since)|(From|Start|Since)$/.test(p));
  const endParam = props.find((p) => /^(end|to|until)|(To|End|Until)$/.test(p));
  if (!startParam || !endParam) return undefined;
  const stem = startParam.replace(/^(start|from|since)|(From|Start|Since)$/g, '').toLowerCase();
  const dated = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((f) => rows.some((r) => isDate(r[f])));
  const field = dated.find((f) => f.toLowerCase() === stem || f.toLowerCase().startsWith(`${stem}_`));
  if (field) return { keys: { startParam, endParam, field } };
  const fallback = dated.find((f) => !/^(created|updated)_at$/.test(f)) ?? dated[0];
  if (!fallback) return undefined;
  return { keys: { startParam, endParam, field: fallback }, guessed: `${startParam}/${endParam} name no row field; ${fallback} is the first date field of the rows — check which field the window applies to` };
}
