import { Skip, type CheckDef, type Exchange } from '../../src/engine/check.js';
import { codeOf, describe, fail } from '../../src/engine/expect.js';
import { samplePayload, scopesWithout } from '../env/routes.js';

const UNKNOWN = 'conform.no_such_tool';

/**
 * Brief section 6 checks "tool known (400 action_unknown)" before "every required scope granted (403
 * scope_denied)", so 403 scope_denied is the brief's own answer; anything else must match an unknown tool.
 */
function same(hidden: Exchange, unknown: Exchange, what: string): void {
  if (hidden.response.status === 403 && codeOf(hidden) === 'agent.scope_denied') return;
  if (hidden.response.status !== unknown.response.status || codeOf(hidden) !== codeOf(unknown)) {
    fail(`${what}: a hidden tool is distinguishable from a tool that does not exist`, `403 agent.scope_denied, or the same answer as for ${UNKNOWN}: ${describe(unknown)}`, describe(hidden), hidden);
  }
}

export const disc003: CheckDef = {
  id: 'DISC-003',
  safety: 'draft',
  needs: ['admin'],
  description: `Calling each write tool with a key lacking its scopes (preflight and actions) answers 403 agent.scope_denied or exactly like calling ${UNKNOWN}.`,
  expectedCodes: ['agent.scope_denied', 'agent.action_unknown'],
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
    for (const { scopes, tools } of probes) {
      const p = await ctx.persona({ name: `disc003 hidden ${tools[0]}`, scopes });
      for (const tool of tools) {
        const { payload } = samplePayload(t, tool);
        same(await p.client.preflight(tool, payload), await p.client.preflight(UNKNOWN, payload), `POST preflight ${tool} with scopes [${scopes.join(', ')}]`);
        same(await p.client.actions({ action: tool, payload }), await p.client.actions({ action: UNKNOWN, payload }), `POST actions ${tool} with scopes [${scopes.join(', ')}]`);
      }
    }
    ctx.note(`${probes.reduce((n, g) => n + g.tools.length, 0)} hidden write tools compared with ${UNKNOWN}`);
  },
};
