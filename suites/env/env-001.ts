import type { CheckDef, Exchange } from '../../src/kit/check.js';
import { describe, expectError, expectSuccess, fail } from '../../src/kit/expect.js';
import { validateAgainst } from '../../src/protocol/schemas.js';
import { agentRoutes, maybeAgent, MISSING_DRAFT, NEVER_ISSUED, send } from './routes.js';

/** A route miss (404/405 outside the envelope, or no JSON at all) means the binding's route is absent. */
function expectEnvelope(ex: Exchange, what: string): void {
  if (ex.response.json === undefined || validateAgainst('envelope', ex.response.json).length > 0) {
    fail(`${what}: the route does not answer with an OpenPort envelope`, 'a JSON envelope {ok, code, …}', describe(ex), ex);
  }
}

export const env001: CheckDef = {
  id: 'ENV-001',
  safety: 'read-only',
  needs: [],
  description: 'Each agent route (manifest, every read of the target, preflight, actions, drafts/{id}; preflight and actions of every write sample) answers with an envelope: 401 token_invalid without a token, and its normal answer with one.',
  expectedCodes: ['agent.token_invalid', 'common.success', 'common.validation', 'agent.action_unknown', 'agent.action_invalid', 'agent.draft_not_found'],
  async run(ctx) {
    const routes = agentRoutes(ctx.target);
    const anon = ctx.client();
    for (const r of routes) {
      const ex = await send(anon, r);
      expectEnvelope(ex, `${r.name} without a token`);
      expectError(ex, 'agent.token_invalid', `${r.name} without a token`);
    }
    const agent = maybeAgent(ctx);
    if (!agent) {
      ctx.partial('no agent token: only the unauthenticated half ran');
      return;
    }
    expectSuccess(await agent.manifest(), 'GET manifest with the run token');
    // The routes themselves (the create's preflight): whether the run token may call another tool is not this check's.
    for (const r of routes.filter((x) => (x.kind === 'read' || x.kind === 'preflight') && !x.otherTool)) {
      const ex = await send(agent, r);
      expectEnvelope(ex, `${r.name} with the run token`);
      if (ex.response.status === 404 || ex.response.status === 405) fail(`${r.name} with the run token: route missing`, 'the route exists', describe(ex), ex);
    }
    // Only the route's presence is judged here (ENV-006 judges validation): any 400 the body can earn will do.
    expectError(await agent.actions({}), ['common.validation', 'agent.action_unknown', 'agent.action_invalid'], 'POST actions {} with the run token');
    expectError(await agent.draft(MISSING_DRAFT), NEVER_ISSUED, `GET drafts/${MISSING_DRAFT} with the run token`);
  },
};
