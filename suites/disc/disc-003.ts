import { Skip, type CheckDef, type Exchange } from '../../src/engine/check.js';
import { codeOf, describe, fail } from '../../src/engine/expect.js';
import { scopesWithout } from '../env/routes.js';

const UNKNOWN = 'conform.no_such_tool';

function same(hidden: Exchange, unknown: Exchange, what: string): void {
  if (hidden.response.status !== unknown.response.status || codeOf(hidden) !== codeOf(unknown)) {
    fail(`${what}: a hidden tool is distinguishable from a tool that does not exist`, `the same answer as for ${UNKNOWN}: ${describe(unknown)}`, describe(hidden), hidden);
  }
}

export const disc003: CheckDef = {
  id: 'DISC-003',
  safety: 'draft',
  needs: ['admin'],
  description: `Calling a write tool the key cannot see (preflight and actions) answers exactly like calling ${UNKNOWN}.`,
  expectedCodes: ['agent.action_unknown'],
  async run(ctx) {
    const { action, payload, scopes: required } = ctx.target.writes.create;
    const scopes = scopesWithout(ctx.target, ...required);
    if (!scopes.length) throw new Skip(`every scope of the target is required by ${action}; no persona can lack it and hold anything else`);
    const p = await ctx.persona({ name: 'disc003 hidden write', scopes });
    same(await p.client.preflight(action, payload), await p.client.preflight(UNKNOWN, payload), `POST preflight ${action}`);
    same(await p.client.actions({ action, payload }), await p.client.actions({ action: UNKNOWN, payload }), `POST actions ${action}`);
  },
};
