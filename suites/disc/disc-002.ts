import type { CheckDef } from '../../src/engine/check.js';
import { expectSuccess, fail } from '../../src/engine/expect.js';
import { validateAgainst } from '../../src/protocol/schemas.js';

export const disc002: CheckDef = {
  id: 'DISC-002',
  safety: 'read-only',
  needs: ['token'],
  description: 'The manifest and every tool descriptor validate; write tools require confirmation and carry a risk; names are unique.',
  async run(ctx) {
    const ex = await ctx.agent.manifest();
    const data = expectSuccess<any>(ex, 'GET manifest');
    const tools: any[] = Array.isArray(data?.tools) ? data.tools : [];
    // Tools are validated one by one below, each against the tool schema, so each problem names its tool.
    const shell = data && typeof data === 'object' && Array.isArray(data.tools) ? { ...data, tools: [] } : data;
    const problems: string[] = [];
    try {
      problems.push(...validateAgainst('manifest', shell).map((p) => `manifest ${p}`));
    } catch (e) {
      // The shared manifest schema may fail to compile (an unresolvable $ref); the tools are still judged.
      ctx.note(`manifest schema unavailable (${(e as Error).message}); validated the tool descriptors only`);
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
    ctx.note(`${tools.length} tools inspected`);
    if (problems.length) fail(`${problems.length} descriptor problem(s)`, 'complete descriptors; write tools confirmation-gated and risk-rated; unique names', problems.slice(0, 10).join('; '), ex);
  },
};
