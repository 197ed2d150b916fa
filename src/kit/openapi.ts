/**
 * Judging a response by an OpenAPI 3.x description (`run --openapi FILE`, ENV-010): find the operation of the
 * request (the document's path templates, below its first server's path), the response of its status (exact,
 * `4XX`, or `default`), and validate a JSON body against that response's schema (JSON Schema 2020-12, which
 * OpenAPI 3.1 uses; a 3.0 document's `nullable` is not understood and is left alone). Routes and statuses the
 * document does not describe are not judged: an OpenAPI description need not list everything.
 */
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { ajv2020 } from './lazy.js';
import type { Exchange } from './check.js';

export interface OpenApiProblem { /** JSON pointer into the response body that differs ('' for the body as a whole). */ pointer: string; problem: string }
export type OpenApiJudge = (ex: Exchange) => OpenApiProblem | undefined;

type Doc = { servers?: { url?: string }[]; paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };

/** Distinct request paths whose route is remembered (a bound, not a cache size that matters). */
const ROUTE_MEMO = 10_000;

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function basePath(doc: Doc): string {
  const url = doc.servers?.[0]?.url ?? '';
  try {
    return new URL(url, 'http://x').pathname.replace(/\/$/, '');
  } catch {
    return '';
  }
}

/**
 * Judges made, by their document's JSON text, the oldest dropped past JUDGES_KEPT: a process that runs many
 * times (`mutate`, a test suite) compiles a document's schemas once, not once per run. A judge keeps nothing
 * of the responses it judged.
 */
const JUDGES = new Map<string, OpenApiJudge>();
const JUDGES_KEPT = 4;

/** A judge of responses by `doc` (parsed YAML or JSON). */
export function openApiJudge(doc: unknown): OpenApiJudge {
  const key = JSON.stringify(doc);
  let judge = JUDGES.get(key);
  if (judge === undefined) {
    if (JUDGES.size >= JUDGES_KEPT) JUDGES.delete(JUDGES.keys().next().value!);
    JUDGES.set(key, (judge = compileJudge(doc)));
  }
  return judge;
}

function compileJudge(doc: unknown): OpenApiJudge {
  const d = doc as Doc;
  // No optimizing pass over the generated code: it costs a run a third of the compile time, and validates no faster.
  const ajv = new (ajv2020().Ajv2020)({ allErrors: false, strict: false, validateSchema: false, validateFormats: false, code: { optimize: false } });
  ajv.addSchema(doc as object, 'openapi:doc');
  type Validate = ReturnType<Ajv2020['compile']>;
  const compiled = new Map<string, { validate: Validate; compiledAt: string }>();
  // The binding's own description repeats a handful of response schemas under hundreds of routes and statuses,
  // and compiling is most of what judging costs: a schema identical (as JSON) to one already compiled reuses
  // that validator. Its references are document-absolute, so it validates alike; only the schema path of an
  // error names the pointer it was compiled at, and is rewritten to this one's.
  const byShape = new Map<string, { validate: Validate; compiledAt: string }>();
  const at = (pointer: string): unknown => pointer.slice(2).split('/').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  const base = basePath(d);
  // Literal paths before templated ones: /drafts/{id} must not take /drafts/stats.
  const routes = Object.keys(d.paths ?? {})
    .map((template) => ({ template, params: (template.match(/\{[^}]+\}/g) ?? []).length, re: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`) }))
    .sort((a, b) => a.params - b.params);
  // A run judges thousands of responses on far fewer distinct paths: each path is matched once.
  const routeOf = new Map<string, (typeof routes)[number] | undefined>();
  return (ex) => {
    const path = ex.request.path.split('?')[0]!;
    if (!path.startsWith(base)) return undefined;
    let route = routeOf.get(path);
    if (route === undefined && !routeOf.has(path)) {
      route = routes.find((r) => r.re.test(path.slice(base.length)));
      if (routeOf.size >= ROUTE_MEMO) routeOf.clear();
      routeOf.set(path, route);
    }
    const method = ex.request.method.toLowerCase();
    const op = route && d.paths![route.template]![method];
    if (!route || !op?.responses) return undefined;
    const status = String(ex.response.status);
    const key = [status, `${status[0]}XX`, `${status[0]}xx`, 'default'].find((k) => op.responses![k] !== undefined);
    const where = `${ex.request.method} ${route.template}`;
    if (!key) return { pointer: '', problem: `HTTP ${status} is not a documented response of ${where} (documented: ${Object.keys(op.responses).join(', ')})` };
    // The journal kept only a sample of this body (bulk traffic): its status is judged, its shape cannot be.
    if (ex.response.elided) return undefined;
    const content = op.responses[key]!.content;
    if (!content) return undefined;
    const type = Object.keys(content).find((t) => /json/i.test(t));
    if (!type) return undefined;
    if (ex.response.json === undefined) return { pointer: '', problem: `${where} → ${status}: the body is not the JSON the document describes (${type})` };
    if (content[type]!.schema === undefined) return undefined;
    const pointer = `#/paths/${escape(route.template)}/${method}/responses/${escape(key)}/content/${escape(type)}/schema`;
    let entry = compiled.get(pointer);
    if (!entry) {
      const shape = JSON.stringify(at(pointer));
      entry = byShape.get(shape);
      if (!entry) byShape.set(shape, (entry = { validate: ajv.compile({ $ref: `openapi:doc${pointer}` }), compiledAt: pointer }));
      compiled.set(pointer, entry);
    }
    const { validate, compiledAt } = entry;
    if (validate(ex.response.json)) return undefined;
    const e = validate.errors?.[0];
    const compiledPrefix = `openapi:doc${compiledAt}`;
    const schemaPath = e?.schemaPath.startsWith(compiledPrefix) ? `openapi:doc${pointer}${e.schemaPath.slice(compiledPrefix.length)}` : e?.schemaPath;
    return { pointer: e?.instancePath ?? '', problem: `${where} → ${status}: ${e?.instancePath || '(body)'} ${e?.message ?? 'does not match'} (schema ${schemaPath ?? pointer})` };
  };
}
