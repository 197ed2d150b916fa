/**
 * An OpenAPI 3.1 description of the HTTP binding agent/v1, generated from the project's one source of wire
 * shapes (schemas.ts) and reason codes (codes.ts): both planes, the envelope, every reason code with the
 * HTTP statuses it may travel with, and the security schemes. A domain's tools add their read routes, with
 * the query arguments of each tool's input schema. It describes what a conforming server may answer, so a
 * response it contradicts is worth a look (it is not normative: the brief is).
 */
import { REASON_CODES, statusesFor, type ReasonCode } from './codes.js';
import { auditEventSchema, draftSchema, envelopeSchema, executionSchema, manifestSchema, toolSchema, validationDetailsSchema } from './schemas.js';
import { ADMIN_BASE, AGENT_BASE, type ToolDescriptor } from './types.js';

type Json = Record<string, unknown>;

/** A draft-07 schema of schemas.ts as a 3.1 component: no $id, references by component name. */
function component(schema: object, refs: Record<string, string>): Json {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '$id') continue;
      out[k] = k === '$ref' && typeof x === 'string' ? `#/components/schemas/${refs[x] ?? x}` : walk(x);
    }
    return out;
  };
  return walk(schema) as Json;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const success = (data: Json = {}): Json => ({
  type: 'object', required: ['ok', 'code', 'data'], properties: { ok: { const: true }, code: { const: 'common.success' }, data },
});

/** Every HTTP status some reason code may travel with as an error, and the codes of each. */
export function errorStatuses(): Map<number, ReasonCode[]> {
  const by = new Map<number, ReasonCode[]>();
  for (const code of Object.keys(REASON_CODES) as ReasonCode[]) {
    if (REASON_CODES[code].carrier !== 'error') continue;
    for (const status of statusesFor(code)) by.set(status, [...(by.get(status) ?? []), code]);
  }
  return new Map([...by].sort((a, b) => a[0] - b[0]));
}

/** The error responses every operation may give: one per status, its envelope's code one of that status's codes. */
function errorResponses(): Json {
  const out: Json = {};
  for (const [status, codes] of errorStatuses()) {
    out[String(status)] = {
      description: codes.map((c) => `\`${c}\``).join(', '),
      ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds until the window resets (SHOULD).', schema: { type: 'integer', minimum: 0 } } } } : {}),
      content: {
        'application/json': {
          schema: {
            allOf: [ref('ErrorEnvelope')],
            // Unknown agent.* codes are tolerated by clients (the brief), so the registry's codes are listed, not enforced.
            properties: { code: { type: 'string', examples: codes } },
          },
        },
      },
    };
  }
  return out;
}

interface Op { summary: string; data?: Json; body?: Json; params?: Json[]; security: 'agent' | 'admin' | 'none' }

const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
/** The paging parameters of an admin listing (limit, and the nextCursor of the previous page). */
const PAGE_PARAMS = [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } }, { name: 'cursor', in: 'query', schema: { type: 'string' } }];
const queryParams = (input: unknown): Json[] => {
  const s = input as { properties?: Record<string, Json>; required?: string[] } | undefined;
  return Object.entries(s?.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: (s?.required ?? []).includes(name), schema }));
};

const ACTION_BODY: Json = {
  type: 'object', required: ['action'],
  properties: {
    action: { type: 'string' }, payload: { type: 'object' }, preflightId: { type: 'string' }, execute: { type: 'boolean' }, forceDraft: { type: 'boolean' },
    requestId: { type: 'string' }, idempotencyKey: { type: 'string' }, justification: { type: 'string' }, preflightHash: { type: 'string' }, stateWitnessHash: { type: 'string' },
  },
};

/** Read routes of a target description (tool, path, default arguments) as tool descriptors the document can list. */
export function readTools(reads: readonly { tool: string; path: string; query?: Record<string, unknown>; scopes: string[] }[]): ToolDescriptor[] {
  return reads.map((r) => ({
    name: r.tool, description: 'a read of the target description', requiredScopes: r.scopes, risk: 'low', requiresConfirmation: false,
    http: { method: 'GET', path: r.path.split('?')[0]! },
    inputSchema: { type: 'object', properties: Object.fromEntries(Object.keys(r.query ?? {}).map((k) => [k, { type: ['string', 'number', 'boolean'] }])) },
  }));
}

export interface OpenApiOptions {
  /** The domain's tools: each GET tool becomes a path with its input schema's query arguments. */
  tools: readonly ToolDescriptor[];
  title?: string;
  version: string;
}

/** The OpenAPI 3.1 document of the binding, with the read routes of `tools`. */
export function openApiDocument(opts: OpenApiOptions): Json {
  const agent: Record<string, Record<string, Op>> = {
    '/manifest': { get: { summary: 'The tools this key may use', data: ref('Manifest'), security: 'agent' } },
    '/preflight': { post: { summary: 'Compute the impact of an action (and its State Witness)', body: { type: 'object', required: ['action', 'payload'], properties: { action: { type: 'string' }, payload: { type: 'object' } } }, data: { type: 'object', required: ['action', 'impact', 'impactHash'] }, security: 'agent' } },
    '/actions': { post: { summary: 'Create a draft of a write, or execute it when policy allows', body: ACTION_BODY, data: { type: 'object' }, security: 'agent' } },
    '/drafts/{id}': { get: { summary: 'A draft and its latest execution', params: [idParam('id')], data: { type: 'object', required: ['draft'], properties: { draft: ref('Draft'), execution: { anyOf: [ref('Execution'), { type: 'null' }] } } }, security: 'agent' } },
  };
  for (const t of opts.tools) {
    if (t.http?.method?.toUpperCase() !== 'GET' || !t.http.path.startsWith(`${AGENT_BASE}/`)) continue;
    agent[t.http.path.slice(AGENT_BASE.length)] = { get: { summary: `${t.name}: ${t.description}`, params: queryParams(t.inputSchema), data: { type: 'object', required: ['items'], properties: { items: { type: 'array' } } }, security: 'agent' } };
  }
  const app = [idParam('id')];
  const admin: Record<string, Record<string, Op>> = {
    '/apps': {
      get: { summary: 'List apps (one page, creation order)', params: PAGE_PARAMS, data: {}, security: 'admin' },
      post: { summary: 'Create an app with its first key (the token is shown once)', body: { type: 'object', required: ['scope', 'name'], properties: { scope: { enum: ['workspace', 'personal'] }, name: { type: 'string' }, description: { type: 'string' }, org_id: { type: 'string' }, user_id: { type: 'string' }, service_user_id: { type: 'string' }, scopes: { type: 'array', items: { type: 'string' } } } }, data: { type: 'object', required: ['app', 'key', 'token'] }, security: 'admin' },
    },
    '/apps/{id}/keys': { post: { summary: 'Issue a key', params: app, body: { type: 'object', properties: { name: { type: 'string' }, expiresAt: { type: 'string' } } }, data: { type: 'object' }, security: 'admin' } },
    '/apps/{id}/revoke': { post: { summary: 'Revoke an app and every key of it', params: app, data: {}, security: 'admin' } },
    '/keys/{id}/revoke': { post: { summary: 'Revoke a key', params: app, data: {}, security: 'admin' } },
    '/apps/{id}/policy': { patch: { summary: 'Set the network and data policy', params: app, body: { type: 'object' }, data: {}, security: 'admin' } },
    '/apps/{id}/auto-execute': { patch: { summary: 'Set the auto-execute windows', params: app, body: { type: 'object' }, data: {}, security: 'admin' } },
    '/apps/{id}/tools': { get: { summary: 'The tools the app may use', params: app, data: {}, security: 'admin' } },
    '/drafts': { get: { summary: 'List drafts', params: [{ name: 'appId', in: 'query', schema: { type: 'string' } }, { name: 'status', in: 'query', schema: { type: 'string' } }, ...PAGE_PARAMS], data: {}, security: 'admin' } },
    '/drafts/{id}': { get: { summary: 'A draft', params: app, data: {}, security: 'admin' } },
    '/drafts/{id}/approve': { post: { summary: 'Approve (and execute) a draft', params: app, body: { type: 'object', properties: { note: { type: 'string' } } }, data: {}, security: 'admin' } },
    '/drafts/{id}/reject': { post: { summary: 'Reject a draft', params: app, body: { type: 'object', properties: { note: { type: 'string' } } }, data: {}, security: 'admin' } },
    '/audit': { get: { summary: 'Audit events', data: {}, security: 'admin' } },
  };
  const errors = errorResponses();
  const operation = (op: Op, method: string): Json => {
    const ok = { description: 'Success envelope', content: { 'application/json': { schema: success(op.data) } } };
    return {
      summary: op.summary,
      ...(op.params?.length ? { parameters: op.params } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
      ...(op.security === 'none' ? { security: [] } : { security: [{ [op.security === 'agent' ? 'agentToken' : 'adminHeader']: [] }] }),
      // The brief fixes 200 only for auto-execute refusals and replays: an admin plane may answer any 2xx,
      // an agent-plane POST that creates 201 (successStatusAllowed of src/kit/expect.ts).
      responses: { ...(op.security === 'admin' ? { '2XX': ok } : { '200': ok, ...(method === 'post' ? { '201': { ...ok, description: 'Success envelope of a creation (not an auto-execute refusal nor a replay, which are 200)' } } : {}) }), ...errors },
    };
  };
  const paths: Json = {};
  for (const [base, table] of [[AGENT_BASE, agent], [ADMIN_BASE, admin]] as const) {
    for (const [path, ops] of Object.entries(table)) paths[`${base}${path}`] = Object.fromEntries(Object.entries(ops).map(([m, op]) => [m, operation(op, m)]));
  }
  paths['/healthz'] = { get: operation({ summary: 'Liveness', data: {}, security: 'none' }, 'get') };

  const refs = { tool: 'Tool' };
  return {
    openapi: '3.1.0',
    info: {
      title: opts.title ?? 'OpenPort agent/v1 (HTTP binding)',
      version: opts.version,
      description: 'Generated by openport-conform from its wire schemas and reason-code registry. Errors carry the envelope {ok:false, code, message, details?}; each error status lists the reason codes that travel with it.',
    },
    paths,
    components: {
      securitySchemes: {
        agentToken: { type: 'http', scheme: 'bearer', description: 'An agent key\'s token (op_…).' },
        adminHeader: { type: 'apiKey', in: 'header', name: 'x-admin-user', description: 'The authors\' runtime identifies the admin by this header; a production server puts its own authentication on the admin plane.' },
      },
      schemas: {
        Envelope: component(envelopeSchema, refs),
        ErrorEnvelope: component(envelopeSchema.oneOf[1], refs),
        ValidationDetails: component(validationDetailsSchema, refs),
        Tool: component(toolSchema, refs),
        Manifest: component(manifestSchema, refs),
        Draft: component(draftSchema, refs),
        Execution: component(executionSchema, refs),
        AuditEvent: component(auditEventSchema, refs),
      },
    },
  };
}
