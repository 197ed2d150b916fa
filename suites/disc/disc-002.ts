import { Skip, type CheckContext, type CheckDef, type Exchange } from '../../src/kit/check.js';
import { expectSuccess, fail } from '../../src/kit/expect.js';
import { validateAgainst } from '../../src/protocol/schemas.js';
import { maybeAgent } from '../env/routes.js';

/** The descriptor problems of one manifest, each naming its tool. */
function problemsOf(ctx: CheckContext, ex: Exchange, who: string): { problems: string[]; tools: string[]; listed: number } {
  const data = expectSuccess<any>(ex, `GET manifest (${who})`);
  const tools: any[] = Array.isArray(data?.tools) ? data.tools : [];
  // Tools are validated one by one below, each against the tool schema, so each problem names its tool.
  const shell = data && typeof data === 'object' && Array.isArray(data.tools) ? { ...data, tools: [] } : data;
  const problems: string[] = [];
  try {
    problems.push(...validateAgainst('manifest', shell).map((p) => `manifest ${p}`));
  } catch (e) {
    // The shared manifest schema may fail to compile (an unresolvable $ref); the tools are still judged.
    ctx.partial(`manifest schema unavailable (${(e as Error).message}); validated the tool descriptors only`);
  }
  const seen = new Set<string>();
  tools.forEach((t, i) => {
    const name = typeof t?.name === 'string' ? t.name : `tools[${i}]`;
    problems.push(...validateAgainst('tool', t).map((p) => `${name}: ${p}`));
    if (seen.has(name)) problems.push(`${name}: listed twice`);
    seen.add(name);
    const isWrite = t?.kind === 'action' || /\/actions\/?$/.test(String(t?.http?.path ?? '')) || ctx.target.tools[name]?.write === true;
    if (isWrite && t?.requiresConfirmation !== true) problems.push(`${name}: write tool without requiresConfirmation true`);
    if (isWrite && !['low', 'medium', 'high'].includes(t?.risk)) problems.push(`${name}: write tool without a risk`);
  });
  return { problems: problems.map((p) => `${who}: ${p}`), tools: [...seen], listed: tools.length };
}

export const disc002: CheckDef = {
  id: 'DISC-002',
  safety: 'read-only',
  needs: [],
  description: "The run token's manifest and (with the admin plane, from --safety draft on) a key holding every scope validate; write tools require confirmation and carry a risk; names are unique.",
  async run(ctx) {
    // The run token may hold few scopes; a key holding all of them shows every write tool.
    const sources: [string, () => Promise<Exchange>][] = [];
    const agent = maybeAgent(ctx);
    if (agent) sources.push(['run token', () => agent.manifest()]);
    if (ctx.provisions) sources.push(['key holding every scope', async () => (await ctx.persona({ name: 'disc002 full' })).client.manifest()]);
    if (!sources.length) throw new Skip('needs an agent token, or the admin plane at --safety draft or above, to read a manifest', "--token, or --admin-header 'Name: value' with --safety draft");
    for (const [who, get] of sources) {
      const ex = await get();
      const { problems, tools, listed } = problemsOf(ctx, ex, who);
      ctx.note(`${who}: ${listed} tools inspected`);
      if (problems.length) fail(`${problems.length} descriptor problem(s)`, 'complete descriptors; write tools confirmation-gated and risk-rated; unique names', problems.slice(0, 10).join('; '), ex);
      if (!ctx.provisions) {
        // The run token alone: the described tools it does not see were not inspected.
        const described = Object.keys(ctx.target.tools);
        const unseen = described.filter((name) => !tools.includes(name));
        if (unseen.length) ctx.partial(`the run token's manifest lists ${described.length - unseen.length} of the ${described.length} described tools; those it does not see (${unseen.slice(0, 5).join(', ')}${unseen.length > 5 ? ', …' : ''}) were not inspected: a key holding every scope needs --admin-header at --safety draft or above`);
      }
    }
  },
};
