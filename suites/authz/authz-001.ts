import { Skip, type CheckDef, type Persona } from '../../src/kit/check.js';
import { expectError, expectSuccess, fail } from '../../src/kit/expect.js';
import type { ReadArgs } from '../../src/kit/target.js';
import { PAGE_SHAPES, expectNoMarkers, pageOf, scopesWithout, shapeText } from '../env/routes.js';

export const authz001: CheckDef = {
  id: 'AUTHZ-001',
  safety: 'draft',
  needs: ['admin'],
  description: 'For each read route and each of its scopes, a key holding every other scope gets 403 scope_denied and no data, a read that pages with page=1 and with page=1&pageSize=20 alike; a full key reads it.',
  expectedCodes: ['agent.scope_denied'],
  async run(ctx) {
    if (!ctx.target.reads.some((r) => r.scopes.length)) throw new Skip('target.reads names no read route with a required scope', '--target <file> with reads[] (tool, path, scopes)');
    const full = await ctx.persona({ name: 'authz001 full' });
    // A read that pages is also sent naming a page (PAGE_SHAPES): the scope check holds on that path too.
    const shapes = new Map<string, (ReadArgs | undefined)[]>();
    for (const r of ctx.target.reads) {
      const ex = await full.client.read(r.tool);
      expectSuccess(ex, `positive control: ${r.tool} with every scope`);
      shapes.set(r.tool, [undefined, ...(pageOf(ex) ? PAGE_SHAPES : [])]);
    }
    const personas = new Map<string, Persona>();
    for (const r of ctx.target.reads) {
      for (const scope of r.scopes) {
        let p = personas.get(scope);
        if (!p) {
          p = await ctx.persona({ name: `authz001 no ${scope}`, scopes: scopesWithout(ctx.target, scope) });
          personas.set(scope, p);
        }
        for (const shape of shapes.get(r.tool)!) {
          const ex = await p.client.read(r.tool, shape);
          const what = `${r.tool}${shape ? ` with ${shapeText(shape)}` : ''} without ${scope}`;
          expectError(ex, 'agent.scope_denied', what);
          expectNoMarkers(ex, ctx.target.existingResourceMarkers, what);
          const data = (ex.response.json as { data?: unknown } | undefined)?.data;
          // An empty `data` (null, {}, []) carries nothing; the envelope does not forbid the key itself.
          if (data !== undefined && data !== null && !(typeof data === 'object' && Object.keys(data).length === 0)) {
            fail(`${what}: the refusal carries data`, { code: 'agent.scope_denied', text: 'no data in a scope denial' }, JSON.stringify((ex.response.json as { data: unknown }).data).slice(0, 200), ex, '/data');
          }
        }
      }
    }
  },
};
