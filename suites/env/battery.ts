/**
 * ENV-002..005 judge every response of the run: a small battery of edge requests (sent here, so even a
 * run of only these checks sees errors) plus everything the transport observed. Each check applies one
 * rule and reports how many responses offended, with the first one as the reproduction. Over MCP (ENV-005)
 * the battery is calls that provoke each kind of refusal the binding carries, and the rule reads what the
 * server sent: the JSON-RPC answers and refused session opens, beside the admin plane's HTTP answers.
 */
import { ToolError, type AgentClient, type CheckContext, type Exchange, type RequestSpec } from '../../src/kit/check.js';
import { describe, fail, mcpAnswer } from '../../src/kit/expect.js';
import { AGENT_BASE, readPathsOf } from '../../src/protocol/types.js';
import { onProtocolPlane, RESPONSE_RULES, type ResponseRule, type ResponseRuleId } from '../../src/kit/response-rules.js';
import { maybeAgent, scopesWithout } from './routes.js';
import { readPath } from '../../src/kit/clients.js';

function battery(ctx: CheckContext): RequestSpec[] {
  const { tool, query, startParam } = ctx.target.dateRange;
  const json = { 'content-type': 'application/json' };
  return [
    { method: 'POST', path: `${AGENT_BASE}/actions`, headers: json, rawBody: '{"action": "' },
    { method: 'POST', path: `${AGENT_BASE}/preflight`, headers: json, rawBody: '{"action": [' },
    { method: 'POST', path: `${AGENT_BASE}/actions`, headers: { 'content-type': 'text/plain' }, rawBody: `action=${encodeURIComponent(ctx.target.writes.create.action)}` },
    { method: 'GET', path: `${AGENT_BASE}/conform-no-such-route` },
    { method: 'DELETE', path: `${AGENT_BASE}/manifest` },
    { method: 'GET', path: readPath(ctx.target.reads, tool, { ...query, [startParam]: 'not-a-date' }) },
    { method: 'POST', path: `${AGENT_BASE}/actions`, headers: json, rawBody: '' },
    { method: 'POST', path: `${AGENT_BASE}/actions`, body: { action: ctx.target.writes.create.action } },
    { method: 'POST', path: `${AGENT_BASE}/actions`, body: { action: 'conform.no_such_tool', payload: {} } },
    { method: 'GET', path: `${AGENT_BASE}/drafts/drf_conform_missing` },
  ];
}

/** `provision()`, or undefined when the admin plane refused it (a set-up the server need not allow). */
export async function unlessRefused<T>(provision: () => Promise<T>): Promise<T | undefined> {
  try {
    return await provision();
  } catch (e) {
    if (e instanceof ToolError && e.code === 'OPC_E_ADMIN_REFUSED') return undefined;
    throw e;
  }
}

/** Marks battery requests: a rule's offender among them is the one a finding shows. */
const BATTERY_HEADER = 'x-openport-conform-probe';

/** The calls of the MCP battery: judged first, as the HTTP battery's marked requests are. */
const MCP_BATTERY = new WeakSet<Exchange>();

/**
 * The edge battery over MCP: a refusal of each carrier the binding has — an isError result (a write without
 * its payload, a read with a malformed date), a JSON-RPC error (an unknown tool, a missing draft), a refused
 * session open (no token; where the run provisions (ctx.provisions) also a key outside its IP policy and an app
 * without an actor) — the same refusals the HTTP battery provokes, on a key of its own where the run provisions one.
 */
async function mcpBattery(ctx: CheckContext): Promise<Exchange[]> {
  const sent: Exchange[] = [];
  const send = async (call: () => Promise<Exchange>) => {
    const ex = await call();
    MCP_BATTERY.add(ex);
    sent.push(ex);
  };
  const own = ctx.provisions ? await unlessRefused(() => ctx.persona({ name: 'env battery' })) : undefined;
  const client = own?.client ?? maybeAgent(ctx) ?? ctx.client();
  const { tool, query, startParam } = ctx.target.dateRange;
  await send(() => client.manifest());
  await send(() => client.actions({ action: ctx.target.writes.create.action }));
  await send(() => client.actions({ action: 'conform.no_such_tool', payload: {} }));
  await send(() => client.read(tool, { ...query, [startParam]: 'not-a-date' }));
  await send(() => client.draft('drf_conform_missing'));
  await send(() => ctx.client().manifest());
  if (own) {
    const read = ctx.target.reads[0];
    const noScope = await ctx.persona({ name: 'env battery no scope', scopes: scopesWithout(ctx.target, ...read.scopes) });
    await send(() => noScope.client.read(read.tool));
    const ip = await ctx.persona({ name: 'env battery ip', policy: { network: { allowed_ips: ['203.0.113.7'] } } });
    await send(() => ip.client.manifest());
    const noActor = await unlessRefused(() => ctx.persona({ name: 'env battery no actor', actor: 'personal-no-user' }));
    if (noActor) await send(() => noActor.client.manifest());
  }
  return sent;
}

/** The edge battery over HTTP, marked with BATTERY_HEADER: the exchanges it got back. */
async function edgeBattery(ctx: CheckContext): Promise<Exchange[]> {
  const sent: Exchange[] = [];
  const mark = (spec: RequestSpec): RequestSpec => ({ ...spec, headers: { ...spec.headers, [BATTERY_HEADER]: 'edge-battery' } });
  // An answer with broken framing is recorded by the transport (the run's sample holds it) and judged below.
  const send = async (c: AgentClient, spec: RequestSpec) => {
    try {
      sent.push(await c.request(mark(spec)));
    } catch (e) {
      if (!(e instanceof ToolError && e.code === 'OPC_E_BROKEN_FRAMING')) throw e;
    }
  };
  // Where the run provisions (the admin plane, from --safety draft on) the battery has a key of its own, so its
  // rate-limit budget is its own: sent at the end of a run, on the run's token, it meets whatever the last checks
  // spent of that window. An admin plane that refuses to provision it (these checks do not need one) leaves the run's token.
  const own = ctx.provisions ? await unlessRefused(() => ctx.persona({ name: 'env battery' })) : undefined;
  await send(own?.client ?? ctx.client(), { method: 'GET', path: `${AGENT_BASE}/manifest` });
  const client = own?.client ?? maybeAgent(ctx) ?? ctx.client();
  for (const spec of battery(ctx)) await send(client, spec);
  // With an admin plane that provisions keys, denials too: they are where status/code mismatches usually hide.
  if (own) {
    const read = ctx.target.reads[0];
    const noScope = await ctx.persona({ name: 'env battery no scope', scopes: scopesWithout(ctx.target, ...read.scopes) });
    await send(noScope.client, { method: 'GET', path: readPath(ctx.target.reads, read.tool) });
    const ip = await ctx.persona({ name: 'env battery ip', policy: { network: { allowed_ips: ['203.0.113.7'] } } });
    await send(ip.client, { method: 'GET', path: `${AGENT_BASE}/manifest` });
    // An app without an actor, where the server keeps one (§6 step 5: 403 agent.forbidden). A server may refuse
    // to create it or give it an actor of its own: then there is nothing to send.
    const noActor = await unlessRefused(() => ctx.persona({ name: 'env battery no actor', actor: 'personal-no-user' }));
    if (noActor) await send(noActor.client, { method: 'GET', path: `${AGENT_BASE}/manifest` });
  }
  return sent;
}

/**
 * Every protocol exchange of the run, after sending the edge battery unless this run already did. While
 * the in-memory sample holds the whole run, that is the battery plus the sample; once it dropped some,
 * the run's journal is read back instead (ctx.exchanges(), which says so when it cannot).
 */
export async function exchangesToJudge(ctx: CheckContext): Promise<Judged> {
  if (ctx.binding === 'mcp') {
    const sent = await mcpBattery(ctx);
    // Read back from the journal an MCP exchange is a request to the endpoint (its path, as the battery's went).
    const endpoint = sent.find((ex) => ex.mcp)?.mcp?.request.path.split('?')[0];
    const atEndpoint = (ex: Exchange) => endpoint !== undefined && ex.request.path.split('?')[0] === endpoint;
    return everyExchange(ctx, sent, (ex) => ex.mcp !== undefined || onProtocolPlane(ex) || atEndpoint(ex), (ex) => (atEndpoint(ex) ? mcpReadBack(ex) : ex));
  }
  // Sent once a run, by the first final check that judges (the others judge it too, as part of the run). One
  // cut short (a socket closed mid-way) is sent again by the next check only, and a request that fails then
  // makes that check an error rather than a pass on what little came back.
  let sent: Exchange[] | undefined;
  for (let attempt = 1; sent === undefined; attempt++) {
    let mine = false;
    try {
      sent = await ctx.shared(`edge-battery ${attempt}`, () => {
        mine = true;
        return edgeBattery(ctx);
      });
    } catch (e) {
      if (mine) throw e;
    }
  }
  return everyExchange(ctx, sent, onProtocolPlane);
}

/**
 * An MCP answer read back from the journal holds the JSON-RPC text, not the envelope view the checks judged in
 * memory: a JSON-RPC error or an isError result is a refusal (an error body, for the rules that judge those).
 */
function mcpReadBack(ex: Exchange): Exchange {
  const answer = mcpAnswer({ rpc: 'read back', request: ex.request, response: ex.response, durationMs: ex.durationMs });
  const refused = answer?.error !== undefined || answer?.result?.isError === true;
  return refused ? { ...ex, response: { ...ex.response, json: { ok: false } } } : ex;
}

/** The exchanges a final check judges: a list while memory holds the run, else read back from the journal. */
type Judged = readonly Exchange[] | AsyncIterable<Exchange>;

/**
 * `sent`, then every other exchange of the run that `judged` keeps: from memory while it holds the run (a
 * list, judged without an await per exchange), else from the journal (each as `readBack` makes it).
 */
function everyExchange(ctx: CheckContext, sent: readonly Exchange[], judged: (ex: Exchange) => boolean, readBack: (ex: Exchange) => Exchange = (ex) => ex): Judged {
  if (ctx.unobserved() === 0) {
    const seen = new Set<Exchange>(sent);
    return [...sent, ...ctx.observed().filter((ex) => !seen.has(ex) && judged(ex))];
  }
  return (async function* () {
    const all = ctx.exchanges()[Symbol.asyncIterator]();
    let next: IteratorResult<Exchange> | undefined;
    try {
      next = await all.next();
    } catch (incomplete) {
      // Neither memory nor journal has the whole run: judge what memory has (an offender there is
      // still a finding), then say the evidence is incomplete.
      yield* sent;
      const seen = new Set<Exchange>(sent);
      for (const ex of ctx.observed()) if (!seen.has(ex) && judged(ex)) yield ex;
      throw incomplete;
    }
    // The journal has everything, the battery included.
    for (; !next.done; next = await all.next()) if (judged(next.value)) yield readBack(next.value);
  })();
}

/**
 * What the server sent: over MCP the wire's headers and text (the JSON-RPC answer, the refused session open's
 * body), with the envelope view's status and JSON, which say whether the call was refused (E4 of the binding).
 */
function asSent(ex: Exchange): Exchange {
  const wire = ex.mcp?.response;
  return wire ? { ...ex, response: { ...ex.response, headers: wire.headers, text: wire.text } } : ex;
}

/**
 * Apply the journal-wide rule of requirement `id` (src/kit/response-rules.ts, which verify applies again to a
 * bundle's transcript) to every exchange, `also` seeing each one; fail naming one offender: the first of the
 * edge battery when it has one, else the first of the run. The battery is the same requests in the same
 * order in every run, whatever else ran beside it (a shard, --only), so the failure it shows — its route and
 * code, which the fingerprint of a baseline hashes — does not depend on the traffic of the other checks.
 */
export async function judgeAll(ctx: CheckContext, all: Judged, id: ResponseRuleId | ResponseRule, also?: (ex: Exchange) => void): Promise<void> {
  // A journal-wide rule by its requirement id, or a check's own rule (ENV-010's OpenAPI judge).
  const rule = typeof id === 'string' ? RESPONSE_RULES[id] : id;
  const secrets = ctx.secrets();
  const readPaths = readPathsOf(ctx.target.reads);
  let first: { ex: Exchange; problem: string } | undefined;
  let firstOfBattery: { ex: Exchange; problem: string } | undefined;
  let count = 0;
  let total = 0;
  let incomplete: unknown;
  const judge = (ex: Exchange) => {
    total++;
    also?.(ex);
    const problem = rule.judge(asSent(ex), secrets, readPaths);
    if (problem === undefined) return;
    count++;
    first ??= { ex, problem };
    if (ex.request.headers[BATTERY_HEADER] === 'edge-battery' || MCP_BATTERY.has(ex)) firstOfBattery ??= { ex, problem };
  };
  try {
    if (Array.isArray(all)) for (const ex of all as readonly Exchange[]) judge(ex);
    else for await (const ex of all) judge(ex);
  } catch (e) {
    incomplete = e;
  }
  ctx.note(`${total} responses inspected, ${count} offending${ctx.unobserved() ? ' (read back from the journal)' : ''}`);
  const shown = firstOfBattery ?? first;
  if (shown) {
    const { ex, problem } = shown;
    // Over MCP the offender is named by the call that went, never by an HTTP route.
    const where = ex.mcp ? `MCP ${ex.mcp.rpc}${ex.mcp.tool ? ` ${ex.mcp.tool}` : ''}` : `${ex.request.method} ${ex.request.path.split('?')[0]}`;
    fail(`${count} of ${total} responses ${rule.what}; ${firstOfBattery ? 'first of the edge battery' : 'first'}: ${where}: ${problem}`, rule.expected, `${problem} (${describe(ex)})`, ex);
  }
  // A rule that must hold for every response cannot pass on a part of them.
  if (incomplete !== undefined) throw incomplete;
}
