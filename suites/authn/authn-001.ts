import type { CheckDef } from '../../src/kit/check.js';
import { expectError } from '../../src/kit/expect.js';
import { agentRoutes, send } from '../env/routes.js';

export const authn001: CheckDef = {
  id: 'AUTHN-001',
  safety: 'read-only',
  needs: [],
  description: 'Every agent route without an Authorization header is 401 agent.token_invalid, over HTTP also a POST route whose body ([]) no handler accepts.',
  expectedCodes: ['agent.token_invalid'],
  async run(ctx) {
    const anon = ctx.client();
    for (const r of agentRoutes(ctx.target)) expectError(await send(anon, r), 'agent.token_invalid', `${r.name} without Authorization`);
    // "Before any handler" (§6): a body no handler would accept ([] is JSON, not a request object) must not be
    // judged before the missing token is. Raw bodies are the HTTP binding's matter.
    if (ctx.binding !== 'http') return;
    for (const r of agentRoutes(ctx.target).filter((x) => x.spec.method === 'POST')) {
      const ex = await anon.request({ method: 'POST', path: r.spec.path, headers: { 'content-type': 'application/json' }, rawBody: '[]' });
      expectError(ex, 'agent.token_invalid', `${r.name} without Authorization and with the body []`);
    }
  },
};
