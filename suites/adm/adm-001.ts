import type { CheckDef } from '../../src/engine/check.js';
import { expectError } from '../../src/engine/expect.js';
import { exhaust } from './exhaust.js';

export const adm001: CheckDef = {
  id: 'ADM-001',
  safety: 'load',
  needs: ['admin'],
  expects429: true,
  exclusive: true,
  description: 'Past the rate limit, the first and five further requests are all 429 agent.rate_limited in a JSON envelope.',
  expectedCodes: ['agent.rate_limited'],
  async run(ctx) {
    const p = await ctx.persona({ name: 'adm001 burst' });
    expectError(await exhaust(ctx, p.client), 'agent.rate_limited', 'the first 429');
    for (let i = 1; i <= 5; i++) expectError(await p.client.manifest(), 'agent.rate_limited', `request ${i} of 5 after the first 429`);
  },
};
