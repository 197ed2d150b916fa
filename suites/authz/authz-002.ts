import { Skip, type CheckDef, type Persona } from '../../src/kit/check.js';
import { expectError, expectSuccess, fail } from '../../src/kit/expect.js';
import { listDrafts, samplePayloadOf } from '../../src/kit/helpers.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import { samplePayload, scopesWithout } from '../env/routes.js';

const REFUSED: ReasonCode[] = ['agent.scope_denied', 'agent.action_unknown'];
/**
 * A guessed payload may fail a validator that runs before the scope check; a validation refusal still
 * refuses, and the draft listing proves nothing was created.
 */
const GUESS_REFUSED: ReasonCode = 'common.validation';

export const authz002: CheckDef = {
  id: 'AUTHZ-002',
  safety: 'draft',
  needs: ['admin'],
  description: 'For each write tool and each of its scopes, a key lacking that scope is refused on preflight and on actions, plain, with execute:true and with forceDraft:true (scope_denied or action_unknown), and gets no draft.',
  expectedCodes: [...REFUSED, GUESS_REFUSED],
  async run(ctx) {
    const t = ctx.target;
    const writeTools = Object.entries(t.tools).filter(([, d]) => d.write && d.scopes.length);
    if (!writeTools.length) throw new Skip('target.tools names no write tool with a required scope', '--target <file> with tools (scopes, risk, write)');
    const full = await ctx.persona({ name: 'authz002 full' });
    expectSuccess(await full.client.preflight(t.writes.create.action, samplePayloadOf(t, t.writes.create.payload)), `positive control: preflight ${t.writes.create.action} with every scope`);
    const personas = new Map<string, Persona>();
    const guesses: string[] = [];
    for (const [tool, def] of writeTools) {
      const { payload, guessed } = samplePayload(t, tool);
      const codes: ReasonCode[] = guessed ? [...REFUSED, GUESS_REFUSED] : REFUSED;
      if (guessed) guesses.push(tool);
      for (const scope of def.scopes) {
        let p = personas.get(scope);
        if (!p) {
          p = await ctx.persona({ name: `authz002 no ${scope}`, scopes: scopesWithout(t, scope) });
          personas.set(scope, p);
        }
        const what = `${tool} without ${scope}`;
        expectError(await p.client.preflight(tool, payload), codes, `POST preflight ${what}`);
        expectError(await p.client.actions({ action: tool, payload }), codes, `POST actions ${what}`);
        // Asking to execute at once, or to stay a draft whatever the policy, changes nothing of the scope it needs.
        expectError(await p.client.actions({ action: tool, payload, execute: true }), codes, `POST actions with execute:true ${what}`);
        expectError(await p.client.actions({ action: tool, payload, execute: true, forceDraft: true }), codes, `POST actions with execute:true and forceDraft:true ${what}`);
      }
    }
    for (const [scope, p] of personas) {
      const drafts = await listDrafts(ctx, p.appId);
      if (drafts.length) fail(`a key without ${scope} got ${drafts.length} draft(s)`, 'no drafts', drafts.map((d) => `${d.id} ${d.action_type} (${d.status})`).join(', '));
    }
    ctx.note(`${writeTools.length} write tools, ${personas.size} reduced-scope keys${guesses.length ? `; guessed payloads for ${guesses.join(', ')} (a validation refusal accepted)` : ''}`);
  },
};
