import type { CheckDef, Persona } from '../../src/engine/check.js';
import { expectError, expectSuccess, fail } from '../../src/engine/expect.js';
import { listDrafts, withResource } from '../../src/engine/helpers.js';
import type { ResolvedTarget } from '../../src/engine/target.js';
import { scopesWithout } from '../env/routes.js';

/**
 * A payload the tool would accept if the scope check were skipped: its sample when the target has one,
 * otherwise the high-risk sample's resource plus the primary container, so a leaked scope check shows as
 * a draft rather than hiding behind a validation error.
 */
function payloadFor(t: ResolvedTarget, tool: string): Record<string, unknown> {
  const sample = Object.values(t.writes).find((w) => w.action === tool);
  const template = sample?.payload ?? { ...t.writes.highRisk.payload, [t.containers.queryParam]: t.containers.primary };
  return withResource(template, t.existingResourceId);
}

export const authz002: CheckDef = {
  id: 'AUTHZ-002',
  safety: 'draft',
  needs: ['admin'],
  description: 'For each write tool and each of its scopes, a key lacking that scope is refused on preflight and actions (scope_denied or action_unknown) and gets no draft.',
  expectedCodes: ['agent.scope_denied', 'agent.action_unknown'],
  async run(ctx) {
    const t = ctx.target;
    const full = await ctx.persona({ name: 'authz002 full' });
    expectSuccess(await full.client.preflight(t.writes.create.action, t.writes.create.payload), `positive control: preflight ${t.writes.create.action} with every scope`);
    const writeTools = Object.entries(t.tools).filter(([, d]) => d.write);
    const personas = new Map<string, Persona>();
    for (const [tool, def] of writeTools) {
      const payload = payloadFor(t, tool);
      for (const scope of def.scopes) {
        let p = personas.get(scope);
        if (!p) {
          p = await ctx.persona({ name: `authz002 no ${scope}`, scopes: scopesWithout(t, scope) });
          personas.set(scope, p);
        }
        const what = `${tool} without ${scope}`;
        expectError(await p.client.preflight(tool, payload), ['agent.scope_denied', 'agent.action_unknown'], `POST preflight ${what}`);
        expectError(await p.client.actions({ action: tool, payload }), ['agent.scope_denied', 'agent.action_unknown'], `POST actions ${what}`);
      }
    }
    for (const [scope, p] of personas) {
      const drafts = await listDrafts(ctx, p.appId);
      if (drafts.length) fail(`a key without ${scope} got ${drafts.length} draft(s)`, 'no drafts', drafts.map((d) => `${d.id} ${d.action_type} (${d.status})`).join(', '));
    }
    ctx.note(`${writeTools.length} write tools, ${personas.size} reduced-scope keys`);
  },
};
