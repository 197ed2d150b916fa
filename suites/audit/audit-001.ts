import type { CheckDef } from '../../src/engine/check.js';
import { expectSuccess, fail } from '../../src/engine/expect.js';
import { validateAgainst } from '../../src/protocol/schemas.js';
import { eventsDuring, exactlyOne } from './trail.js';

export const audit001: CheckDef = {
  id: 'AUDIT-001',
  safety: 'draft',
  needs: ['admin'],
  description: "One allowed read leaves exactly one audit event: the persona's app_id and key_id, an action, status success.",
  async run(ctx) {
    const route = ctx.target.reads[0];
    const p = await ctx.persona({ name: 'audit001 read' });
    const { ex, events } = await eventsDuring(ctx, p.appId, () => p.client.request({ method: 'GET', path: route.path }));
    expectSuccess(ex, `GET ${route.path}`);
    const what = `one allowed GET ${route.path}`;
    const e = exactlyOne(events, what, ex);
    const problems = validateAgainst('audit-event', e);
    if (e.app_id !== p.appId) problems.push(`app_id ${e.app_id} ≠ ${p.appId}`);
    if (e.key_id !== p.keyId) problems.push(`key_id ${e.key_id} ≠ ${p.keyId}`);
    if (typeof e.action !== 'string' || !e.action) problems.push('empty action');
    if (e.status !== 'success') problems.push(`status ${e.status}`);
    if (problems.length) fail(`${what}: the audit event is incomplete (${problems.join('; ')})`, `{app_id: ${p.appId}, key_id: ${p.keyId}, action, status: success}`, JSON.stringify(e).slice(0, 400), ex);
  },
};
