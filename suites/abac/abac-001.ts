import type { CheckDef } from '../../src/engine/check.js';
import { expectError } from '../../src/engine/expect.js';
import { agentRoutes, send } from '../env/routes.js';

export const abac001: CheckDef = {
  id: 'ABAC-001',
  safety: 'draft',
  needs: ['admin'],
  description: 'A key whose app allows only 203.0.113.7 (not the client) gets 403 agent.policy_denied on every agent route.',
  expectedCodes: ['agent.policy_denied'],
  async run(ctx) {
    const p = await ctx.persona({ name: 'abac001 ip allowlist', policy: { network: { allowed_ips: ['203.0.113.7'] } } });
    for (const r of agentRoutes(ctx.target)) expectError(await send(p.client, r), 'agent.policy_denied', `${r.name} from outside the IP allowlist`);
  },
};
