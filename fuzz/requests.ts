/**
 * Request arbitraries for every agent and admin route of the binding: well-formed requests derived from the
 * manifest's inputSchemas and the target's write samples, then hostile mutations of them (wrong types,
 * missing and extra fields, huge and deep values, unicode edge cases, duplicate keys, malformed JSON, wrong
 * content types, Authorization abuse). A generated request keeps the placeholders $TOKEN and $APP; they are
 * filled in only when sent, so a counterexample replays with any token and can be saved in the corpus.
 */
import fc from 'fast-check';
import type { CorpusRequest } from '../src/kit/fuzz-driver/corpus.js';
import { writeSamples as samplesOf, type ResolvedTarget } from '../src/kit/target.js';
import { readPath } from '../src/kit/clients.js';
import { samplePayloadOf } from '../src/kit/helpers.js';
import { ADMIN_BASE, AGENT_BASE, type ToolDescriptor } from '../src/protocol/types.js';
import { deepValue, fakeToken, fromSchema, headerSafe, hostileValue, MAX_DEPTH, nest, pct, weirdString, type JsonSchema } from './values.js';

export type FuzzRequest = CorpusRequest;

export interface RequestEnv {
  target: ResolvedTarget;
  /** Tools of the fuzzing identity's manifest (their inputSchemas shape the generated payloads). */
  tools: readonly ToolDescriptor[];
  /** Generate admin-plane requests too (only when the run has admin headers). */
  admin: boolean;
  /**
   * May a request ask for execution (`execute: true`)? Only when the identity is a persona the check
   * provisioned without auto-execute: with an unknown run token an accepted request could really execute.
   */
  execute: boolean;
}

/** The write samples of the target as concrete {action, payload} pairs. */
export function writeSamples(t: ResolvedTarget): { action: string; payload: Record<string, unknown> }[] {
  return samplesOf(t).map((w) => ({ action: w.action, payload: samplePayloadOf(t, w.payload, t.existingResourceId, 'openport-conform fuzz') }));
}

const hex64 = fc.array(fc.constantFrom(...'0123456789abcdef'.split('')), { minLength: 64, maxLength: 64 }).map((a) => a.join(''));

/** Malformed Authorization headers: drawn among generated ones, and each sent once a run (authorizationBattery). */
const AUTH_ABUSE = [
  'bearer $TOKEN', 'Bearer  $TOKEN', 'Basic $TOKEN', 'Token $TOKEN', '$TOKEN', 'Bearer', 'Bearer ', 'Bearer $TOKEN, Bearer $TOKEN',
  'Bearer $TOKEN extra', 'Bearer "$TOKEN"', 'Bearer $TOKENx', 'Bearer op_', 'Bearer null', 'Bearer\t$TOKEN',
] as const;

/** Authorization header variants; the valid token dominates so the handlers behind authentication get fuzzed. */
const authHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { arbitrary: fc.constant({ authorization: 'Bearer $TOKEN' }), weight: 14 },
  { arbitrary: fc.constant({}), weight: 2 },
  {
    weight: 4,
    arbitrary: fc
      .oneof(
        fc.constantFrom(...AUTH_ABUSE),
        fakeToken.map((t) => `Bearer ${t}`),
        headerSafe.map((s) => `Bearer ${s}`),
        // Long, but under the 8–16 KiB header limits of common servers: a 431 from the HTTP layer is not what is tested.
        fc.integer({ min: 256, max: 4096 }).map((n) => `Bearer op_${'A'.repeat(n)}`),
      )
      .map((authorization) => ({ authorization })),
  },
);

function extraHeaders(t: ResolvedTarget): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { arbitrary: fc.constant({}), weight: 8 },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Record<string, string>>(
        { 'x-forwarded-for': '10.0.0.1, 127.0.0.1' },
        { 'x-org-id': t.otherOrgId, 'x-tenant-id': t.otherOrgId },
        { 'x-admin-user': 'admin_demo' },
        { 'x-fuzz-padding': 'A'.repeat(2048) },
        { 'x-api-key': '$TOKEN' },
      ),
    },
  );
}

const CONTENT_TYPES = [
  'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x',
  '', 'application/xml', 'application/json, text/plain', 'application/json; charset=utf-8; charset=latin1',
];

/** Content-Type: usually the default (application/json), sometimes wrong. */
const contentType: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { arbitrary: fc.constant({}), weight: 8 },
  { arbitrary: fc.constantFrom(...CONTENT_TYPES).map((v) => ({ 'content-type': v })), weight: 1 },
);

const MALFORMED_JSON = [
  '{', '{"action":', '{"action":"x",}', "{'action':'x'}", '[1,2', 'NaN', '{"a":1}{"b":2}', '\uFEFF{"action":"x"}', '// c\n{}',
  '{"action":"\\uD800"}', '{"action":"x"\u0000}', 'null', '""', '[]', '123', 'true', '{"payload":{"a":1e999999}}', ' ',
];

type Mutation = { op: 'drop' | 'set' | 'add'; where: 'top' | 'payload'; pick: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom<'drop' | 'set' | 'add'>('drop', 'set', 'add'),
  where: fc.constantFrom<'top' | 'payload'>('top', 'payload'),
  pick: fc.nat(),
  key: weirdString.filter((k) => k.length < 200),
  value: hostileValue,
});

/** Apply one mutation to a JSON object body (never turning `execute` on when the env forbids it). */
function mutate(body: Record<string, unknown>, m: Mutation, allowExecute: boolean): Record<string, unknown> {
  const out = { ...body };
  const payload = out.payload;
  const host: Record<string, unknown> = m.where === 'payload' && payload && typeof payload === 'object' && !Array.isArray(payload) ? { ...(payload as Record<string, unknown>) } : out;
  const keys = Object.keys(host).filter((k) => allowExecute || k !== 'execute');
  const key = m.op === 'add' || keys.length === 0 ? m.key : keys[m.pick % keys.length]!;
  if (!allowExecute && key === 'execute') return out;
  if (m.op === 'drop') delete host[key];
  else host[key] = m.value;
  if (host !== out) out.payload = host;
  return out;
}

interface BodyShape { json?: unknown; raw?: string }

function render(b: BodyShape): string | undefined {
  return b.raw ?? (b.json === undefined ? undefined : JSON.stringify(b.json));
}

/** Bodies for POST /actions (withOptions) or /preflight around a pool of well-formed bodies. */
function bodies(valid: fc.Arbitrary<Record<string, unknown>>, allowExecute: boolean): fc.Arbitrary<string | undefined> {
  const shapes = fc.oneof(
    { arbitrary: valid.map((json): BodyShape => ({ json })), weight: 5 },
    { arbitrary: fc.tuple(valid, mutation).map(([b, m]): BodyShape => ({ json: mutate(b, m, allowExecute) })), weight: 6 },
    { arbitrary: fc.tuple(valid, deepValue).map(([b, d]): BodyShape => ({ json: { ...b, payload: { nested: d } } })), weight: 2 },
    { arbitrary: fc.constantFrom(...MALFORMED_JSON).map((raw): BodyShape => ({ raw })), weight: 1 },
    {
      // Truncated JSON: a real body cut at an arbitrary byte.
      arbitrary: fc.tuple(valid, fc.nat()).map(([b, n]): BodyShape => {
        const s = JSON.stringify(b);
        return { raw: s.slice(0, n % Math.max(1, s.length)) };
      }),
      weight: 1,
    },
    {
      // Duplicate keys: parsers disagree on which one wins, so the server must not crash on either.
      arbitrary: fc.tuple(valid, weirdString).map(([b, other]): BodyShape => ({ raw: `{"action":${JSON.stringify(other)},${JSON.stringify(b).slice(1)}` })),
      weight: 1,
    },
    { arbitrary: hostileValue.map((json): BodyShape => ({ json })), weight: 1 },
    { arbitrary: fc.constant<BodyShape>({}), weight: 1 },
  );
  return shapes.map(render);
}

function actionBodies(env: RequestEnv, withOptions: boolean): fc.Arbitrary<Record<string, unknown>> {
  const t = env.target;
  const samples = writeSamples(t);
  const toolNames = [...new Set([...Object.keys(t.tools), ...env.tools.map((x) => x.name)])];
  const fromTools = env.tools.map((tool) => {
    const schema = tool.inputSchema as JsonSchema | undefined;
    const props = schema?.properties as Record<string, JsonSchema> | undefined;
    return fc.record({ action: fc.constant(tool.name), payload: fromSchema(props?.payload ?? schema) });
  });
  const base = fc.oneof(
    { arbitrary: fc.constantFrom(...samples), weight: 4 },
    ...(fromTools.length ? [{ arbitrary: fc.oneof(...fromTools), weight: 2 }] : []),
    { arbitrary: fc.record({ action: fc.oneof(fc.constantFrom(...toolNames), weirdString), payload: hostileValue }), weight: 1 },
  ) as fc.Arbitrary<Record<string, unknown>>;
  if (!withOptions) return base;
  const options = fc.record(
    {
      execute: env.execute ? fc.boolean() : fc.constant(false),
      forceDraft: fc.boolean(),
      idempotencyKey: fc.string({ maxLength: 40 }),
      justification: weirdString,
      requestId: fc.string({ maxLength: 40 }),
      preflightHash: fc.oneof(hex64, weirdString),
      stateWitnessHash: hex64,
      preflightId: fc.oneof(fc.constant('pfl_0000000000000000'), weirdString),
    },
    { requiredKeys: [] },
  );
  return fc.tuple(base, options).map(([b, o]) => ({ ...b, ...o }));
}

/** Query strings for a read route: schema-derived values, hostile values, repeated and garbage parameters. */
function queries(env: RequestEnv, readTool: string | undefined): fc.Arbitrary<string> {
  const t = env.target;
  const schema = env.tools.find((x) => x.name === readTool)?.inputSchema as JsonSchema | undefined;
  const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const names = [...new Set([...Object.keys(props), t.containers.queryParam, t.dateRange.startParam, t.dateRange.endParam, 'page', 'pageSize'])];
  const value = (name: string) =>
    fc.oneof(
      { arbitrary: fromSchema(props[name] ?? { type: 'string' }).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')), weight: 2 },
      { arbitrary: fc.constantFrom(t.containers.primary, t.containers.secondary, '0', '-1', '201', '1e9', '99999999999999999999', '2026-13-45'), weight: 2 },
      { arbitrary: weirdString, weight: 2 },
    );
  const param = fc.oneof(fc.constantFrom(...names), weirdString.filter((k) => k.length < 100)).chain((k) => value(k).map((v) => `${pct(k)}=${pct(v)}`));
  return fc.oneof(
    { arbitrary: fc.array(param, { maxLength: 6 }).map((ps) => ps.join('&')), weight: 6 },
    { arbitrary: fc.constantFrom(...hostileQueries(t)), weight: 1 },
  );
}

/** Query strings no parser should choke on: broken escapes, empty names, a repeated and an unknown parameter, a token. */
function hostileQueries(t: ResolvedTarget): string[] {
  const q = t.containers.queryParam;
  return ['%', '%ZZ', '&&&', '=', 'a=%E0%A4%A', `${q}=a&${q}=b`, 'conform_unknown=1', 'access_token=$TOKEN'];
}

/**
 * Every hostile query form on every GET route that reads a query: the manifest and each read route of the
 * target (after its own arguments, and with each of them repeated), and with admin headers the admin
 * listings. Sent as they are, before any generated case, so that no route's query handling is left to chance.
 */
export function queryBattery(env: RequestEnv): FuzzRequest[] {
  const t = env.target;
  const agent = [`${AGENT_BASE}/manifest`, ...t.reads.map((r) => readPath(t.reads, r.tool))];
  const repeats = agent.flatMap((path) => [...new URLSearchParams(path.split('?')[1] ?? '')].map(([k, v]) => withQuery(path, `${pct(k)}=${pct(v)}`)));
  // The admin listings are asked for one row. A server may answer its whole audit log whatever the query (the
  // authors' runtime does), so the audit listing gets one hostile form only, an unknown parameter: the size of
  // a long-lived server's history must not multiply into the battery.
  const admin = env.admin ? ['apps', 'drafts'].map((r) => `${ADMIN_BASE}/${r}?limit=1`) : [];
  const audit = env.admin ? [`${ADMIN_BASE}/audit?limit=1&conform_unknown=1`] : [];
  return [
    ...agent.flatMap((path) => hostileQueries(t).map((q) => withQuery(path, q))).concat(repeats)
      .map((path) => ({ plane: 'agent' as const, method: 'GET', path, headers: { authorization: 'Bearer $TOKEN' } })),
    ...admin.flatMap((path) => hostileQueries(t).map((q) => withQuery(path, q))).concat(audit)
      .map((path) => ({ plane: 'admin' as const, method: 'GET', path, headers: {} })),
  ];
}

/**
 * Every malformed Authorization header of AUTH_ABUSE on the manifest, once a run whatever the seed: a parser
 * that crashes on one of them is found by every run, not by the seeds that happen to draw it.
 */
export function authorizationBattery(): FuzzRequest[] {
  return AUTH_ABUSE.map((authorization) => ({ plane: 'agent' as const, method: 'GET', path: `${AGENT_BASE}/manifest`, headers: { authorization } }));
}

/**
 * A target's first write sample with its payload nested MAX_DEPTH levels deep (`payload.nested`, as generated
 * deep bodies are), once per shape, to POST /preflight: past the depth a server stops at, every seed. Generated
 * input reaches that depth only by chance, and a server whose depth guard answers outside the registry must
 * not pass because the seed never went there.
 */
export function deepBodyBattery(env: RequestEnv): FuzzRequest[] {
  const action = writeSamples(env.target)[0]?.action ?? env.tools[0]?.name ?? 'conform.unknown';
  return (['object', 'array', 'mixed'] as const).map((shape) => ({
    plane: 'agent' as const,
    method: 'POST',
    path: `${AGENT_BASE}/preflight`,
    headers: { authorization: 'Bearer $TOKEN', 'content-type': 'application/json' },
    body: JSON.stringify({ action, payload: { nested: nest(MAX_DEPTH, shape, 0) } }),
  }));
}

/** Values of the wrong kind for a payload field: text no parser reads as a date, number or id, and an object. */
const WRONG_KIND: readonly unknown[] = ['openport-conform: not a value', { openport: 'conform' }];

/**
 * Every write sample's payload with each of its fields in turn (and each field the tool's inputSchema declares
 * for its payload) set to a value of the wrong kind, to POST /preflight, which writes nothing: a validator that
 * crashes on one field (a date it cannot parse) is found every seed, not when a mutation happens to pick it.
 */
export function fieldBattery(env: RequestEnv): FuzzRequest[] {
  return writeSamples(env.target).flatMap(({ action, payload }) => {
    const schema = env.tools.find((t) => t.name === action)?.inputSchema as JsonSchema | undefined;
    const declared = ((schema?.properties as Record<string, JsonSchema> | undefined)?.payload?.properties ?? {}) as Record<string, unknown>;
    const fields = [...new Set([...Object.keys(payload), ...Object.keys(declared)])];
    return fields.flatMap((field) => WRONG_KIND.map((value) => ({
      plane: 'agent' as const,
      method: 'POST',
      path: `${AGENT_BASE}/preflight`,
      headers: { authorization: 'Bearer $TOKEN', 'content-type': 'application/json' },
      body: JSON.stringify({ action, payload: { ...payload, [field]: value } }),
    })));
  });
}

const draftIds = fc.oneof(
  fc.constant('drf_0000000000000000'),
  weirdString.map(pct),
  fc.constantFrom('%2e%2e', '..%2f..%2fapps', '%00', 'drf_%27%20OR%201%3D1'),
  fc.integer({ min: 1024, max: 4096 }).map((n) => 'd'.repeat(n)),
);

function withQuery(path: string, q: string): string {
  return q ? `${path}${path.includes('?') ? '&' : '?'}${q}` : path;
}

function agentRequests(env: RequestEnv): fc.Arbitrary<FuzzRequest> {
  const t = env.target;
  const readRoutes = t.reads.map((r) => fc.tuple(fc.boolean(), queries(env, r.tool)).map(([keep, q]) =>
    ({ method: 'GET', path: withQuery(keep ? readPath(t.reads, r.tool) : r.path.split('?')[0], q) })));
  const routes: fc.Arbitrary<{ method: string; path: string; body?: string }> = fc.oneof(
    { arbitrary: queries(env, undefined).map((q) => ({ method: 'GET', path: withQuery(`${AGENT_BASE}/manifest`, q) })), weight: 1 },
    ...(readRoutes.length ? [{ arbitrary: fc.oneof(...readRoutes), weight: 2 }] : []),
    { arbitrary: bodies(actionBodies(env, false), env.execute).map((body) => ({ method: 'POST', path: `${AGENT_BASE}/preflight`, body })), weight: 4 },
    { arbitrary: bodies(actionBodies(env, true), env.execute).map((body) => ({ method: 'POST', path: `${AGENT_BASE}/actions`, body })), weight: 6 },
    { arbitrary: draftIds.map((id) => ({ method: 'GET', path: `${AGENT_BASE}/drafts/${id}` })), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        ['PUT', '/actions'], ['DELETE', '/drafts/drf_0000000000000000'], ['PATCH', '/manifest'], ['GET', '/actions'],
        ['GET', '/preflight'], ['GET', '/nope'], ['GET', '/drafts/'], ['GET', '//manifest'], ['POST', '/drafts/drf_0000000000000000/approve'],
        ['GET', '/../agent-admin/v1/apps'], ['GET', '/%2e%2e/agent-admin/v1/audit'],
      ).map(([method, p]) => ({ method: method!, path: `${AGENT_BASE}${p!}` })).chain((r) =>
        // A read route called with a method it does not take.
        t.reads.length ? fc.constantFrom(r, { method: 'POST', path: t.reads[0].path.split('?')[0] }) : fc.constant(r)),
      weight: 1,
    },
  );
  return fc.tuple(routes, authHeaders, extraHeaders(t), contentType).map(([r, auth, extra, ct]) => ({
    plane: 'agent' as const,
    method: r.method,
    path: r.path,
    headers: { ...auth, ...extra, ...(r.body !== undefined ? ct : {}) },
    ...(r.body !== undefined ? { body: r.body } : {}),
  }));
}

/**
 * Admin-plane requests. They never name a real draft or key, and the fuzzing persona's own app ($APP) only
 * receives bodies no server can apply (non-objects, malformed JSON), so fuzzing never changes its policy,
 * auto-execute configuration or status.
 */
function adminRequests(env: RequestEnv): fc.Arbitrary<FuzzRequest> {
  const garbageId = fc.oneof(fc.constant('app_0000000000000000'), weirdString.map(pct).filter((s) => s.length > 0 && s !== '%24APP'));
  const anyBody = bodies(fc.dictionary(weirdString, hostileValue, { maxKeys: 4 }), false);
  const inertBody = fc.oneof(
    fc.constantFrom(...MALFORMED_JSON.filter((s) => !s.startsWith('{') && !s.startsWith('\uFEFF{'))),
    fc.array(hostileValue, { maxLength: 3 }).map((a) => JSON.stringify(a)),
  );
  const appCreate = fc
    .record({
      scope: weirdString.filter((s) => s !== 'workspace' && s !== 'personal'),
      name: fc.oneof(weirdString, hostileValue),
      org_id: fc.oneof(weirdString, hostileValue),
      scopes: fc.oneof(fc.array(weirdString, { maxLength: 4 }), hostileValue),
    }, { requiredKeys: ['scope'] })
    .map((b) => JSON.stringify(b));
  const route: fc.Arbitrary<{ method: string; path: string; body?: string }> = fc.oneof(
    queries(env, undefined).map((q) => ({ method: 'GET', path: withQuery(`${ADMIN_BASE}/apps`, q) })),
    fc.oneof(appCreate, anyBody).map((body) => ({ method: 'POST', path: `${ADMIN_BASE}/apps`, body })),
    fc.tuple(garbageId, anyBody).map(([id, body]) => ({ method: 'POST', path: `${ADMIN_BASE}/apps/${id}/keys`, body })),
    fc.tuple(fc.constantFrom('$APP', 'app_0000000000000000'), fc.record({ name: hostileValue, expiresAt: fc.oneof(weirdString, hostileValue) }))
      .map(([id, b]) => ({ method: 'POST', path: `${ADMIN_BASE}/apps/${id}/keys`, body: JSON.stringify(b) })),
    fc.tuple(fc.constantFrom('apps', 'keys'), garbageId).map(([kind, id]) => ({ method: 'POST', path: `${ADMIN_BASE}/${kind}/${id}/revoke`, body: '{}' })),
    fc.tuple(fc.constantFrom('policy', 'auto-execute'), garbageId, anyBody).map(([what, id, body]) => ({ method: 'PATCH', path: `${ADMIN_BASE}/apps/${id}/${what}`, body })),
    fc.tuple(fc.constantFrom('policy', 'auto-execute'), inertBody).map(([what, body]) => ({ method: 'PATCH', path: `${ADMIN_BASE}/apps/$APP/${what}`, body })),
    fc.oneof(fc.constant('$APP'), garbageId).map((id) => ({ method: 'GET', path: `${ADMIN_BASE}/apps/${id}/tools` })),
    fc.tuple(fc.oneof(fc.constant('$APP'), weirdString), weirdString).map(([a, s]) => ({ method: 'GET', path: `${ADMIN_BASE}/drafts?appId=${pct(a)}&status=${pct(s)}` })),
    draftIds.map((id) => ({ method: 'GET', path: `${ADMIN_BASE}/drafts/${id}` })),
    fc.tuple(draftIds, fc.constantFrom('approve', 'reject'), anyBody).map(([id, op, body]) => ({ method: 'POST', path: `${ADMIN_BASE}/drafts/${id}/${op}`, body })),
    queries(env, undefined).map((q) => ({ method: 'GET', path: withQuery(`${ADMIN_BASE}/audit`, q) })),
  );
  return fc.tuple(route, contentType).map(([r, ct]) => ({
    plane: 'admin' as const,
    method: r.method,
    path: r.path,
    headers: r.body !== undefined ? ct : {},
    ...(r.body !== undefined ? { body: r.body } : {}),
  }));
}

/** Every route of the binding: agent plane always, admin plane when the run has admin headers. */
export function requestArb(env: RequestEnv): fc.Arbitrary<FuzzRequest> {
  if (!env.admin) return agentRequests(env);
  return fc.oneof({ arbitrary: agentRequests(env), weight: 5 }, { arbitrary: adminRequests(env), weight: 1 });
}

/** One line for a finding: method, path and a bounded body preview. */
export function showRequest(r: FuzzRequest): string {
  const body = r.body === undefined ? '' : ` body ${JSON.stringify(r.body.length > 200 ? `${r.body.slice(0, 200)}…(${r.body.length} chars)` : r.body)}`;
  const auth = r.headers.authorization === undefined ? ' (no Authorization)' : ` Authorization: ${JSON.stringify(r.headers.authorization.slice(0, 60))}`;
  return `${r.plane ?? 'agent'} ${r.method} ${r.path.length > 200 ? `${r.path.slice(0, 200)}…` : r.path}${r.plane === 'admin' ? '' : auth}${body}`;
}
