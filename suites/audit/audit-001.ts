import type { CheckDef, Exchange } from '../../src/kit/check.js';
import { expectSuccess } from '../../src/kit/expect.js';
import { eventsDuring, recordingEvent, shapeProblems } from './trail.js';
import { samplePayloadOf } from '../../src/kit/helpers.js';

export const audit001: CheckDef = {
  id: 'AUDIT-001',
  safety: 'draft',
  needs: ['admin'],
  description: "Each allowed read route and a preflight each leave an audit event that records it: the persona's app_id and key_id, an action, status success (further events are noted).",
  async run(ctx) {
    const p = await ctx.persona({ name: 'audit001 allowed' });
    const { action } = ctx.target.writes.create;
    const payload = samplePayloadOf(ctx.target, ctx.target.writes.create.payload);
    const ops: [string, () => Promise<Exchange>][] = [
      ...ctx.target.reads.map((r): [string, () => Promise<Exchange>] => [r.tool, () => p.client.read(r.tool)]),
      [`POST preflight ${action}`, () => p.client.preflight(action, payload)],
    ];
    for (const [op, act] of ops) {
      const { ex, events } = await eventsDuring(ctx, p.appId, act);
      expectSuccess(ex, op);
      const what = `one allowed ${op}`;
      recordingEvent(ctx, events, (e) => {
        const problems = shapeProblems(e);
        if (e.app_id !== p.appId) problems.push(`app_id ${e.app_id} ≠ ${p.appId}`);
        if (e.key_id !== p.keyId) problems.push(`key_id ${e.key_id} ≠ ${p.keyId}`);
        if (typeof e.action !== 'string' || !e.action) problems.push('empty action');
        if (e.status !== 'success') problems.push(`status ${e.status}`);
        return problems;
      }, what, `an event {app_id: ${p.appId}, key_id: ${p.keyId}, action, status: success}`, ex);
    }
  },
};
