import type { CheckContext, CheckDef, Exchange } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { expectSuccess, fail } from '../../src/kit/expect.js';
import { writeSamples } from '../../src/kit/target.js';
import { impactHash } from '../../src/protocol/index.js';
import { createPayload, marker, ownKeyOrRunToken, payloadFor, runTokenPreflight, runTokenPreflightIfAllowed } from '../lib-write.js';

const RISKS = ['low', 'medium', 'high'];

export const preflight001: CheckDef = {
  id: 'PREFLIGHT-001',
  safety: 'draft',
  needs: ['token'],
  description:
    'For the create sample and every other write sample of the target on the existing resource, the preflight reply names the action, its risk and ' +
    'requiresConfirmation (as the manifest describes the tool), and impactHash equals hex(SHA-256(JCS({action, payload as sent, impact}))).',
  async run(ctx) {
    const { create, highRisk } = ctx.target.writes;
    const descriptors = await manifestTools(ctx);
    // The create and high-risk samples are the check's own: a token that cannot preflight them cannot evaluate it.
    const required = [
      { action: create.action, payload: createPayload(ctx, marker(ctx)) },
      { action: highRisk.action, payload: payloadFor(highRisk, ctx.target.existingResourceId) },
    ];
    for (const { action, payload } of required) {
      const ex = await runTokenPreflight(ctx, action, payload);
      judge(action, payload, expectSuccess<any>(ex, `preflight of ${action}`), descriptors, ex);
    }
    // Every further write tool with a sample (§3: the reply's members hold for any action), on the existing resource.
    const further = writeSamples(ctx.target).filter((s) => s.action !== create.action && s.action !== highRisk.action);
    const client = further.length > 0 ? await ownKeyOrRunToken(ctx, 'preflight-001 catalog') : ctx.agent;
    for (const sample of further) {
      const payload = payloadFor(sample, ctx.target.existingResourceId, marker(ctx));
      const ex = await runTokenPreflightIfAllowed(ctx, sample.action, payload, client);
      if (ex) judge(sample.action, payload, expectSuccess<any>(ex, `preflight of ${sample.action}`), descriptors, ex);
    }
  },
};

type Descriptor = { risk?: unknown; requiresConfirmation?: unknown };

/** The run token's manifest tools by name (empty when the manifest cannot be read: then only the types are judged). */
async function manifestTools(ctx: CheckContext): Promise<Map<string, Descriptor>> {
  const tools = dataOf(await ctx.agent.manifest())?.tools;
  return new Map(Array.isArray(tools) ? tools.filter((t: any) => typeof t?.name === 'string').map((t: any) => [t.name, t]) : []);
}

function judge(action: string, payload: unknown, d: any, descriptors: Map<string, Descriptor>, ex: Exchange): void {
  // §3: → {action, risk, requiresConfirmation, impact, impactHash, …, preflightId}.
  if (d?.action !== action) fail(`preflight of ${action} does not name its action`, `data.action "${action}"`, `data.action ${JSON.stringify(d?.action)}`, ex, '/data/action');
  const tool = descriptors.get(action);
  if (!RISKS.includes(d.risk) || (tool?.risk !== undefined && d.risk !== tool.risk)) {
    fail(`preflight of ${action} does not state the tool's risk`, `data.risk ${tool?.risk === undefined ? 'low|medium|high' : JSON.stringify(tool.risk)}`, `data.risk ${JSON.stringify(d.risk)}`, ex, '/data/risk');
  }
  if (typeof d.requiresConfirmation !== 'boolean' || (typeof tool?.requiresConfirmation === 'boolean' && d.requiresConfirmation !== tool.requiresConfirmation)) {
    const want = typeof tool?.requiresConfirmation === 'boolean' ? String(tool.requiresConfirmation) : 'a boolean';
    fail(`preflight of ${action} does not state requiresConfirmation`, `data.requiresConfirmation ${want}`, `data.requiresConfirmation ${JSON.stringify(d.requiresConfirmation)}`, ex, '/data/requiresConfirmation');
  }
  if (typeof d.impactHash !== 'string' || !('impact' in d)) fail(`preflight of ${action} lacks impact or impactHash`, 'data.impact and data.impactHash', JSON.stringify(d).slice(0, 200), ex);
  const mine = impactHash(action, payload, d.impact);
  // "hex" fixes the digits, not their case.
  if (mine !== d.impactHash.toLowerCase()) fail(`impactHash of ${action} does not bind action, payload and impact`, mine, d.impactHash, ex);
}
