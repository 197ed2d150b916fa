import { isDeepStrictEqual } from 'node:util';
import { writeSamples } from '../../src/kit/target.js';
import type { CheckDef, Exchange } from '../../src/kit/check.js';
import { expectSuccess, fail } from '../../src/kit/expect.js';
import { personalApp } from '../../src/kit/helpers.js';
import { secondKey } from '../lib-write.js';

function toolsOf(ex: Exchange, what: string): { name: string; requiredScopes: string[] }[] {
  const data = expectSuccess<{ tools?: unknown }>(ex, what);
  if (!Array.isArray(data?.tools)) fail(`${what}: manifest has no tools[]`, 'data.tools: array', JSON.stringify(data).slice(0, 200), ex);
  return (data.tools as { name?: unknown; requiredScopes?: unknown }[]).map((t) => ({
    name: String(t?.name),
    requiredScopes: Array.isArray(t?.requiredScopes) ? t.requiredScopes.map(String) : [],
  }));
}

/** Scope subsets worth asking about: each scope alone, every pair, and each multi-scope tool missing one scope. */
function subsets(scopes: string[], universe: Map<string, string[]>): string[][] {
  const out = new Map<string, string[]>();
  const add = (s: string[]) => {
    if (s.length) out.set([...s].sort().join(' '), s);
  };
  scopes.forEach((a, i) => {
    add([a]);
    for (const b of scopes.slice(i + 1)) add([a, b]);
  });
  for (const req of universe.values()) if (req.length > 1) for (const drop of req) add(req.filter((s) => s !== drop));
  return [...out.values()];
}

export const disc001: CheckDef = {
  id: 'DISC-001',
  safety: 'draft',
  needs: ['admin'],
  description: "For single scopes, pairs and partial scope sets, each key's manifest lists exactly the tools whose required scopes it holds: an app's first key, a key issued later (every other set) and a personal app's key alike.",
  async run(ctx) {
    const full = await ctx.persona({ name: 'disc001 full' });
    const fullEx = await full.client.manifest();
    const declared = toolsOf(fullEx, 'GET manifest (all scopes)');
    // A map a protocol text fixes (the brief's demo tools) binds the server; a vendor's own map may be stale, so it is only noted.
    const fixed = (name: string) => ctx.target.fixed?.tools === true && Object.hasOwn(ctx.target.tools, name);
    // A fixed tool needs what the brief says too, so a descriptor that under-declares its scopes cannot make
    // over-broad discovery look consistent.
    const universe = new Map(declared.map((t) => [t.name, fixed(t.name) ? [...new Set([...t.requiredScopes, ...ctx.target.tools[t.name].scopes])] : t.requiredScopes]));
    // Every comparison below is against this manifest: an empty or partial one would make them all vacuous.
    const grantable = (name: string) => ctx.target.tools[name].scopes.every((s) => ctx.target.scopes.includes(s));
    const unlisted = Object.keys(ctx.target.tools).filter((n) => !universe.has(n) && grantable(n));
    const missing = unlisted.filter((n) => fixed(n) || universe.size === 0);
    if (missing.length) {
      fail(`a key holding every scope (${ctx.target.scopes.join(', ')}) is not shown ${missing.join(', ')}`, `${missing.join(', ')} listed`, `listed: ${[...universe.keys()].join(', ') || 'nothing'}`, fullEx);
    }
    if (unlisted.length) ctx.note(`target.tools names tools the all-scope manifest does not list: ${unlisted.join(', ')}`);
    const drift = declared.filter((t) => !fixed(t.name) && Object.hasOwn(ctx.target.tools, t.name) && !isDeepStrictEqual([...t.requiredScopes].sort(), [...ctx.target.tools[t.name].scopes].sort()));
    if (drift.length) ctx.note(`requiredScopes differ from target.tools for ${drift.map((t) => t.name).join(', ')}; the manifest's were used`);
    // Tools the description does not know are tested less: say which, rather than guess silently.
    const undescribed = declared.filter((t) => !Object.hasOwn(ctx.target.tools, t.name)).map((t) => t.name);
    if (undescribed.length) ctx.note(`the manifest lists tools the target description does not describe: ${undescribed.join(', ')}; AUTHZ-002 and DISC-003 do not call them (add them to tools: and a sample to writes.others)`);
    const unsampled = Object.entries(ctx.target.tools).filter(([n, d]) => d.write && !writeSamples(ctx.target).some((s) => s.action === n)).map(([n]) => n);
    if (unsampled.length) ctx.note(`write tools without a sample payload: ${unsampled.join(', ')}; AUTHZ-002 and DISC-003 call them with a guessed payload and accept a validation refusal of it (add writes.others)`);
    const mismatches: string[] = [];
    let firstEx: Exchange | undefined;
    const sets = subsets(ctx.target.scopes, universe);
    // Every way a key comes to be, not only an app's first: every other set is read with a second key of its app
    // (POST /apps/{id}/keys), and the first set once more with a personal app acting as its user (§2).
    const manifests: [string, string[], () => Promise<Exchange>][] = [];
    for (const [i, scopes] of sets.entries()) {
      const p = await ctx.persona({ name: `disc001 ${scopes.join('+')}`, scopes });
      if (i % 2 === 0) manifests.push([`GET manifest with scopes [${scopes.join(', ')}]`, scopes, () => p.client.manifest()]);
      else {
        const { client } = await secondKey(ctx, p, 'manifest key');
        manifests.push([`GET manifest of a second key with scopes [${scopes.join(', ')}]`, scopes, () => client.manifest()]);
      }
    }
    if (sets.length > 0) {
      const scopes = sets[0]!;
      const personal = await personalApp(ctx, 'disc001', scopes, "a personal app's manifest was not compared");
      if (personal) manifests.push([`GET manifest of a personal app with scopes [${scopes.join(', ')}]`, scopes, () => ctx.client(personal.app.token).manifest()]);
    }
    for (const [what, scopes, read] of manifests) {
      const ex = await read();
      const listed = new Set(toolsOf(ex, what).map((t) => t.name));
      const expected = [...universe].filter(([, req]) => req.every((s) => scopes.includes(s))).map(([name]) => name);
      const missing = expected.filter((n) => !listed.has(n));
      const extra = [...listed].filter((n) => !expected.includes(n));
      if (missing.length || extra.length) {
        firstEx ??= ex;
        mismatches.push(`${what.replace('GET manifest ', '')}${missing.length ? ` missing ${missing.join(', ')}` : ''}${extra.length ? ` extra ${extra.join(', ')}` : ''}`);
      }
    }
    ctx.note(`${universe.size} tools, ${sets.length} scope subsets compared (${manifests.length} manifests: first keys, second keys and a personal app)`);
    if (mismatches.length) {
      fail(`${mismatches.length} of ${manifests.length} manifests do not list exactly the tools their scopes allow`, '{t | requiredScopes(t) ⊆ scopes(app)}', mismatches.slice(0, 5).join('; ') + (mismatches.length > 5 ? `; … ${mismatches.length - 5} more` : ''), firstEx);
    }
  },
};
