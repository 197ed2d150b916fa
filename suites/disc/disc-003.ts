import { Skip, type CheckDef, type Exchange } from '../../src/kit/check.js';
import { expectError, expectSuccess, fail } from '../../src/kit/expect.js';
import { expectNoMarkers, samplePayload, scopesWithout } from '../env/routes.js';

/** The brief's order (§6): tool known → 400 action_unknown, then scopes → 403 scope_denied. Either hides nothing. */
const HIDDEN = ['agent.action_unknown', 'agent.scope_denied'] as const;
/** A guessed payload may fail a validator that runs first: a validation refusal hides the tool too. */
const GUESS_REFUSED = 'common.validation';

interface Descriptor { name: string; description?: unknown; inputSchema?: unknown }

/** Parts of a descriptor that only the descriptor carries: its description text and its input schema. */
function fingerprints(d: Descriptor | undefined): string[] {
  if (!d) return [];
  const out: string[] = [];
  if (typeof d.description === 'string' && d.description.length >= 12) out.push(d.description);
  if (d.inputSchema && typeof d.inputSchema === 'object' && Object.keys(d.inputSchema).length > 0) out.push(JSON.stringify(d.inputSchema));
  return out;
}

function undisclosed(ex: Exchange, descriptor: Descriptor | undefined, markers: readonly string[], what: string, guessed: boolean): void {
  expectError(ex, guessed ? [...HIDDEN, GUESS_REFUSED] : HIDDEN, what);
  const leaked = fingerprints(descriptor).filter((f) => ex.response.text.includes(f));
  if (leaked.length) fail(`${what}: the refusal carries the hidden tool's descriptor`, 'no description or inputSchema of the hidden tool', `body contains ${leaked.map((l) => JSON.stringify(l.slice(0, 60))).join(', ')}`, ex);
  expectNoMarkers(ex, markers, what);
}

export const disc003: CheckDef = {
  id: 'DISC-003',
  safety: 'draft',
  needs: ['admin'],
  description:
    'Calls each write tool (preflight and actions) with a key lacking its scopes: the answer is 400 agent.action_unknown or 403 agent.scope_denied, ' +
    "and carries neither the tool's descriptor (description, inputSchema, as an all-scope key's manifest shows them) nor resource data.",
  expectedCodes: [...HIDDEN, GUESS_REFUSED],
  async run(ctx) {
    const t = ctx.target;
    // One key per scope set, each lacking every scope of the tools it probes but holding the rest.
    const byScopes = new Map<string, { scopes: string[]; tools: string[] }>();
    for (const [tool, def] of Object.entries(t.tools)) {
      if (!def.write || !def.scopes.length) continue;
      const scopes = scopesWithout(t, ...def.scopes);
      const k = scopes.join(' ');
      byScopes.set(k, { scopes, tools: [...(byScopes.get(k)?.tools ?? []), tool] });
    }
    const probes = [...byScopes.values()].filter((g) => g.scopes.length > 0);
    if (!probes.length) throw new Skip('no write tool can be hidden from a key that still holds some scope', '--target <file> with scopes and tools (a write tool needing fewer than all scopes)');
    const all = await ctx.persona({ name: 'disc003 all scopes' });
    const tools = (expectSuccess<{ tools?: Descriptor[] }>(await all.client.manifest(), 'manifest of an all-scope key').tools ?? []);
    for (const { scopes, tools: hidden } of probes) {
      const p = await ctx.persona({ name: `disc003 hidden ${hidden[0]}`, scopes });
      for (const tool of hidden) {
        const { payload, guessed } = samplePayload(t, tool);
        const d = tools.find((x) => x?.name === tool);
        undisclosed(await p.client.preflight(tool, payload), d, t.existingResourceMarkers, `POST preflight ${tool} with scopes [${scopes.join(', ')}]`, guessed);
        undisclosed(await p.client.actions({ action: tool, payload }), d, t.existingResourceMarkers, `POST actions ${tool} with scopes [${scopes.join(', ')}]`, guessed);
      }
    }
    ctx.note(`${probes.reduce((n, g) => n + g.tools.length, 0)} hidden write tools called`);
  },
};
