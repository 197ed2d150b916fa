import type { CheckDef, Exchange } from '../../src/kit/check.js';
import { describe, expectError, fail } from '../../src/kit/expect.js';
import { validateAgainst } from '../../src/protocol/schemas.js';
import { AGENT_BASE } from '../../src/protocol/types.js';

function expectValidation(ex: Exchange, what: string): void {
  const { details } = expectError(ex, 'common.validation', what);
  const problems = validateAgainst('validation-details', details);
  if (problems.length) fail(`${what}: details.issues[] malformed (${problems.slice(0, 3).join('; ')})`, { status: 400, code: 'common.validation', text: 'details.issues[] of {code, path[], message}' }, `${describe(ex)} details=${JSON.stringify(details ?? null).slice(0, 200)}`, ex, '/details/issues');
}

export const env006: CheckDef = {
  id: 'ENV-006',
  safety: 'read-only',
  needs: ['token'],
  bindings: ['http'],
  description: 'POST actions without a payload and POST preflight {} are 400 common.validation with details.issues[] of {code, path[], message}.',
  expectedCodes: ['common.validation'],
  async run(ctx) {
    expectValidation(await ctx.agent.actions({ action: ctx.target.writes.create.action }), 'POST actions without payload or preflightId');
    expectValidation(await ctx.agent.request({ method: 'POST', path: `${AGENT_BASE}/preflight`, body: {} }), 'POST preflight {}');
  },
};
