import { Skip, type CheckDef, type Persona } from '../../src/kit/check.js';
import { expectError, expectSuccess, fail } from '../../src/kit/expect.js';
import { expectNoMarkers, scopesWithout } from '../env/routes.js';

export const authz001: CheckDef = {
  id: 'AUTHZ-001',
  safety: 'draft',
  needs: ['admin'],
  description: 'For each read route and each of its scopes, a key holding every other scope gets 403 scope_denied and no data; a full key reads it.',
  expectedCodes: ['agent.scope_denied'],
  async run(ctx) {
    if (!ctx.target.reads.some((r) => r.scopes.length)) throw new Skip('target.reads names no read route with a required scope', '--target <file> with reads[] (tool, path, scopes)');
    const full = await ctx.persona({ name: 'authz001 full' });
    for (const r of ctx.target.reads) expectSuccess(await full.client.read(r.tool), `positive control: ${r.tool} with every scope`);
    const personas = new Map<string, Persona>();
    for (const r of ctx.target.reads) {
      for (const scope of r.scopes) {
        let p = personas.get(scope);
        if (!p) {
          p = await ctx.persona({ name: `authz001 no ${scope}`, scopes: scopesWithout(ctx.target, scope) });
          personas.set(scope, p);
        }
        const ex = await p.client.read(r.tool);
        const what = `${r.tool} without ${scope}`;
        expectError(ex, 'agent.scope_denied', what);
        expectNoMarkers(ex, ctx.target.existingResourceMarkers, what);
        const data = (ex.response.json as { data?: unknown } | undefined)?.data;
        // An empty `data` (null, {}, []) carries nothing; the envelope does not forbid the key itself.
        if (data !== undefined && data !== null && !(typeof data === 'object' && Object.keys(data).length === 0)) {
          fail(`${what}: the refusal carries data`, { code: 'agent.scope_denied', text: 'no data in a scope denial' }, JSON.stringify((ex.response.json as { data: unknown }).data).slice(0, 200), ex, '/data');
        }
      }
    }
  },
};
