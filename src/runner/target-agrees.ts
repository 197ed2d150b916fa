/**
 * A target description that contradicts the server it names makes checks fail as if the server had: a
 * container the server does not have, a resource it never held, a row field it does not write, a sample
 * payload its validator refuses. Before any check the description's own claims are read once; a
 * contradiction is the operator's (exit 2), said once and naming the key of the description. A claim is
 * blamed only beside one of its kind the server serves (the other container, another sample), so a server
 * that refuses all of them is left to the checks; other answers (a 403 of a narrow token, a 5xx, no answer)
 * say nothing. `minted`: the token is the run's own, with every scope and no policy (with admin
 * credentials), so a resource it does not see is not there; a given --token may hide rows (max_days).
 */
import { ToolError, type AdminClient, type AgentClient, type Exchange } from '../kit/check.js';
import { dataOf, itemsOf } from '../kit/clients.js';
import { ADMIN_BASE } from '../protocol/types.js';
import { MAX_PAGES, samplePayloadOf } from '../kit/helpers.js';
import { writeSamples, type ResolvedTarget, type WriteSample } from '../kit/target.js';
import { levenshtein } from './profiles.js';

const code = (ex: Exchange) => (ex.response.json as { code?: unknown } | undefined)?.code;
const said = (ex: Exchange) => `HTTP ${ex.response.status}${typeof code(ex) === 'string' ? ` ${String(code(ex))}` : ''}`;

/** The issues of a validation refusal, as "path: message", at most three. */
function issuesOf(ex: Exchange): string {
  const issues = (ex.response.json as { details?: { issues?: { path?: unknown[]; message?: unknown }[] } } | undefined)?.details?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return '';
  return ` (${issues.slice(0, 3).map((i) => `${Array.isArray(i?.path) ? i.path.join('.') || '(root)' : '?'}: ${String(i?.message ?? '')}`).join('; ')})`;
}

/** The description key that holds a sample writeSamples gave. */
function keyOf(t: ResolvedTarget, sample: WriteSample): string {
  const named = (['create', 'update', 'highRisk', 'drift'] as const).find((k) => t.writes[k] === sample);
  return named ? `writes.${named}` : `writes.others[${(t.writes.others ?? []).indexOf(sample)}]`;
}

export async function checkTargetAgrees(client: AgentClient, t: ResolvedTarget, targetName: string, baseUrl: string, opts: TargetCheckOptions): Promise<void> {
  let problems: string[];
  try {
    problems = await contradictions(client, t, opts);
  } catch {
    // A request that got no answer (a reset, a timeout, broken framing) says nothing of the description: the checks judge the server.
    return;
  }
  if (problems.length > 0) {
    throw new ToolError(`${targetName} contradicts ${baseUrl}: ${problems.join('; ')}. Fix the description (docs/targets.md); if it is right, this server refuses its own tenant's data or valid samples, and no verdict can rest on the checks that use them`, 'OPC_E_CONFIG');
  }
}

/** Pages of the admin apps listing read at most to learn the tenants of the server's own apps (200 a page on the reference runtime). */
const APP_PAGES = 100;

/** `admin`: the admin plane, when the run has its credentials (the tenant of the server's own apps). */
interface TargetCheckOptions { preflights: boolean; minted: boolean; admin?: AdminClient }

async function contradictions(client: AgentClient, t: ResolvedTarget, opts: TargetCheckOptions): Promise<string[]> {
  const problems: string[] = [];
  const { contentsTool, queryParam } = t.containers;
  const reads = await Promise.all((['primary', 'secondary'] as const).map(async (key) => ({ key, ex: await client.read(contentsTool, { [queryParam]: t.containers[key] }) })));
  // Only beside a container the same read serves: a read route missing altogether is the server's (ENV-001).
  if (reads.some(({ ex }) => ex.response.status === 200)) {
    for (const { key, ex } of reads) {
      if (ex.response.status === 404 || code(ex) === 'common.validation') problems.push(`containers.${key} ${JSON.stringify(t.containers[key])}: ${contentsTool} answered ${said(ex)}${issuesOf(ex)} to a key of the tenant that reads the other container`);
    }
  }
  // Both containers refused (403, 404) to a key the run made in the described tenant, a tenant none of the
  // server's own apps belongs to: a misspelt orgId (a server that accepts any org_id for a new app).
  if (opts.minted && opts.admin && reads.every(({ ex }) => ex.response.status === 403 || ex.response.status === 404)) {
    // Every page (data.nextCursor), bounded: only a listing seen whole says no app belongs to the tenant, and a
    // server in use lists more apps than one page holds (each run of this tool adds its own).
    const orgs = new Set<string>();
    let whole = false;
    let cursor: string | undefined;
    for (let page = 0; page < APP_PAGES && !orgs.has(t.orgId); page++) {
      const listing = await opts.admin.request({ method: 'GET', path: `${ADMIN_BASE}/apps${cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`}`, bulk: true });
      const apps = (itemsOf(listing) ?? []) as { org_id?: unknown; name?: unknown }[];
      for (const a of apps) if (typeof a?.org_id === 'string' && !String(a?.name ?? '').startsWith('openport-conform')) orgs.add(a.org_id);
      const next = (dataOf(listing) as { nextCursor?: unknown } | undefined)?.nextCursor;
      if (typeof next !== 'string' || apps.length === 0) {
        whole = listing.response.status === 200;
        break;
      }
      // A server that ignores the cursor answers the same page again: the listing cannot be read whole.
      if (next === cursor) break;
      cursor = next;
    }
    if (whole && orgs.size > 0 && !orgs.has(t.orgId)) {
      problems.push(`orgId ${JSON.stringify(t.orgId)}: ${contentsTool} refuses both containers to a key of this tenant (${said(reads[0]!.ex)}), and none of the server's own apps belongs to it (they belong to ${[...orgs].slice(0, 3).map((o) => JSON.stringify(o)).join(', ')})`);
    }
  }

  type Listed = { name?: unknown; http?: { path?: unknown }; inputSchema?: { properties?: unknown } };
  const manifest = ((dataOf(await client.manifest())?.tools as Listed[] | undefined) ?? []).filter((x): x is Listed & { name: string } => typeof x?.name === 'string');
  // Two edits apart, one for a short name (id and q, status and state are other words, not typos).
  const near = (word: string, candidates: readonly string[]) => candidates.find((c) => c !== word && levenshtein(c, word) <= (Math.min(c.length, word.length) < 6 ? 1 : 2));
  // A described tool the manifest of an unrestricted key does not list, beside a listed one the description
  // does not name and that differs from it by a letter or two: a misspelt name (a server hiding one tool of
  // two so alike is left to DISC-001).
  if (opts.minted) {
    const listed = manifest.map((x) => x.name);
    const undescribed = listed.filter((n) => !Object.hasOwn(t.tools, n));
    for (const name of Object.keys(t.tools).filter((n) => !listed.includes(n))) {
      const other = near(name, undescribed);
      if (other !== undefined) problems.push(`tools.${name}: the manifest of a key with every described scope lists no such tool, but lists ${JSON.stringify(other)}, which the description does not name`);
    }
  }
  // A read's route or query parameter that its tool's manifest entry spells a letter or two apart (http.path,
  // inputSchema.properties): a server ignores a parameter it does not know, and a route it does not have is a 404.
  const entry = (tool: string) => manifest.find((x) => x.name === tool);
  // The same route written another way (a trailing slash, {id} or :id) is no typo; one the server answers neither.
  const route = (p: string) => p.replace(/\/+$/, '').replace(/\{[^}]*\}|:[A-Za-z_]\w*/g, '{}');
  for (const [i, r] of t.reads.entries()) {
    const path = entry(r.tool)?.http?.path;
    if (typeof path !== 'string' || route(path) === route(r.path) || near(r.path, [path]) === undefined) continue;
    const ex = await client.read(r.tool);
    if (ex.response.status === 404) problems.push(`reads[${i}].path ${JSON.stringify(r.path)}: answered ${said(ex)}, and the manifest gives ${r.tool} the route ${JSON.stringify(path)}`);
  }
  // The container parameter works when the two containers read differently: then it is no typo, whatever its spelling.
  const [one, two] = reads.map(({ ex }) => ex);
  const containerParamWorks = one!.response.status !== 200 || two!.response.status !== 200 || one!.response.text !== two!.response.text;
  // Spellings of one name (case, _ or -) a server may accept both of, unless shown not to work.
  const spelling = (p: string) => p.toLowerCase().replace(/[_-]/g, '');
  const params: [string, string, string][] = [
    ['containers.queryParam', t.containers.contentsTool, t.containers.queryParam],
    ['dateRange.startParam', t.dateRange.tool, t.dateRange.startParam],
    ['dateRange.endParam', t.dateRange.tool, t.dateRange.endParam],
    ...t.reads.flatMap((r, i) => Object.keys(r.query ?? {}).map((k): [string, string, string] => [`reads[${i}].query.${k}`, r.tool, k])),
  ];
  // A read's default query naming the primary container plays containers.queryParam's part: its key is no other use.
  const sameRole = (key: string, at: string) => key === 'containers.queryParam' && t.reads.some((r, i) => at.startsWith(`reads[${i}].query.`) && r.query?.[at.slice(`reads[${i}].query.`.length)] === t.containers.primary);
  for (const [key, tool, param] of params) {
    const props = entry(tool)?.inputSchema?.properties;
    if (props === null || typeof props !== 'object' || Object.hasOwn(props, param)) continue;
    const used = new Set(params.filter(([at, other]) => other === tool && !sameRole(key, at)).map(([, , p]) => p));
    const other = near(param, Object.keys(props).filter((p) => !used.has(p)));
    if (other === undefined) continue;
    if (key === 'containers.queryParam' ? containerParamWorks : spelling(other) === spelling(param)) continue;
    problems.push(`${key} ${JSON.stringify(param)}: ${tool}'s inputSchema (manifest) names no such parameter, but names ${JSON.stringify(other)}, which the description gives no other part`);
  }

  const { tool, query, itemsField, idField } = t.readBack;
  let found = false;
  for (let page = 1; page <= MAX_PAGES && !found; page++) {
    const ex = await client.read(tool, page === 1 ? query : { ...query, page });
    const items = dataOf(ex)?.[itemsField];
    if (ex.response.status !== 200 || !Array.isArray(items) || items.length === 0) break;
    if (page === 1 && !items.some((row: unknown) => Object.hasOwn(Object(row), idField))) {
      const fields = Object.keys(Object(items[0])).slice(0, 8).join(', ');
      problems.push(`readBack.idField ${JSON.stringify(idField)}: none of the ${items.length} rows ${tool} lists carries it (a row has: ${fields})`);
      break;
    }
    // A write's effect field no row carries, beside one they carry a letter or two apart: misspelt (a field a
    // server leaves out until the write sets it is no typo of another).
    if (page === 1) {
      const fields = new Set(items.flatMap((row: unknown) => Object.keys(Object(row))));
      for (const [key, sample] of writeSamples(t).map((x) => [keyOf(t, x), x] as const)) {
        const field = sample.effect?.field;
        // One edit only: a field set by the write (updated_by) beside one every row has (updated_at) is no typo.
        const other = field === undefined || fields.has(field) ? undefined : [...fields].find((f) => levenshtein(f, field) === 1);
        if (other !== undefined) problems.push(`${key}.effect.field ${JSON.stringify(field)}: none of the ${items.length} rows ${tool} lists carries it, but they carry ${JSON.stringify(other)}`);
      }
    }
    found = items.some((row: Record<string, unknown>) => row?.[idField] === t.existingResourceId);
    if (!found && dataOf(ex)?.hasMore !== true && opts.minted) {
      problems.push(`existingResourceId ${JSON.stringify(t.existingResourceId)}: ${tool} (readBack) does not list it`);
      break;
    }
  }

  if (opts.preflights) {
    const answers = await Promise.all(writeSamples(t).map(async (sample) => ({ key: keyOf(t, sample), sample, ex: await client.preflight(sample.action, samplePayloadOf(t, sample.payload)) })));
    // Only beside a sample the same server admits: a validator refusing every payload is the server's (PREFLIGHT-001).
    if (answers.some(({ ex }) => dataOf(ex) !== undefined)) {
      for (const { key, sample, ex } of answers) {
        if (code(ex) === 'common.validation') problems.push(`${key}.payload (${sample.action}): preflight answered ${said(ex)}${issuesOf(ex)}, where other samples are admitted`);
      }
    }
  }

  return problems;
}
