import type { CheckContext, CheckDef, Exchange } from '../../src/kit/check.js';
import { expectSuccess } from '../../src/kit/expect.js';
import type { AuditEvent } from '../../src/protocol/types.js';
import { timestampMs } from '../../src/protocol/schemas.js';
import { eventsDuring, recordingEvent, requestFieldProblems, shapeProblems } from './trail.js';
import { personalApp, samplePayloadOf, serviceUserOf } from '../../src/kit/helpers.js';
import { writeSamples } from '../../src/kit/target.js';

/**
 * The §10 fields an allowed agent request fixes beyond app, key, action and status (requestFieldProblems), and
 * that it was performed by someone with a created_at timestamp. request_id and details may be null, and a
 * serializer may leave null fields out, so they are not asked for; where given, shapeProblems holds them to
 * their types (a string, an object).
 */
function fieldProblems(ctx: CheckContext, e: AuditEvent, ex: Exchange): string[] {
  const problems = requestFieldProblems(ctx, e, ex);
  if (typeof e.performed_by_user_id !== 'string' || e.performed_by_user_id === '') problems.push(`performed_by_user_id ${JSON.stringify(e.performed_by_user_id)}`);
  if (timestampMs(e.created_at) === undefined) problems.push(`created_at ${JSON.stringify(e.created_at)}`);
  return problems;
}

export const audit001: CheckDef = {
  id: 'AUDIT-001',
  safety: 'draft',
  needs: ['admin'],
  description: "Each allowed read route and a preflight of each write sample each leave an audit event that records it: the persona's app_id and key_id, an action, status success, the actor as actor_user_id and performed_by_user_id, the client's ip and user agent and a created_at timestamp (an ISO 8601 string or a number of seconds or milliseconds since the epoch; further events are noted). The actor is the workspace app's service user, and a personal app's user for a read of a personal app.",
  async run(ctx) {
    const p = await ctx.persona({ name: 'audit001 allowed' });
    // §2: a workspace app "acts as a service user": the one it was created with, when the server echoes it.
    const serviceUser = serviceUserOf(p);
    if (serviceUser === undefined) ctx.note("POST /apps echoed no app.service_user_id: the workspace app's actor was only required to be present");
    // Every read route, and a preflight of every write sample (a preflight changes nothing, so one aimed at a
    // resource names the existing one): each tier and tool audits its own successes.
    const ops: [string, () => Promise<Exchange>][] = [
      ...ctx.target.reads.map((r): [string, () => Promise<Exchange>] => [r.tool, () => p.client.read(r.tool)]),
      ...writeSamples(ctx.target).map((s): [string, () => Promise<Exchange>] => [`POST preflight ${s.action}`, () => p.client.preflight(s.action, samplePayloadOf(ctx.target, s.payload))]),
    ];
    for (const [op, act] of ops) {
      let sent: Exchange | undefined;
      const problemsOf = (e: AuditEvent) => {
        const problems = shapeProblems(e);
        if (e.app_id !== p.appId) problems.push(`app_id ${e.app_id} ≠ ${p.appId}`);
        if (e.key_id !== p.keyId) problems.push(`key_id ${e.key_id} ≠ ${p.keyId}`);
        if (typeof e.action !== 'string' || !e.action) problems.push('empty action');
        if (e.status !== 'success') problems.push(`status ${e.status}`);
        if (sent) problems.push(...fieldProblems(ctx, e, sent));
        if (serviceUser !== undefined && e.actor_user_id !== serviceUser) problems.push(`actor_user_id ${e.actor_user_id} ≠ the workspace app's service user ${serviceUser}`);
        return problems;
      };
      const { ex, events } = await eventsDuring(ctx, p.appId, async () => (sent = await act()), (fresh) => fresh.some((e) => problemsOf(e).length === 0));
      expectSuccess(ex, op);
      const what = `one allowed ${op}`;
      recordingEvent(ctx, events, problemsOf, what, `an event {app_id: ${p.appId}, key_id: ${p.keyId}, action, status: success, actor_user_id${serviceUser ? `: ${serviceUser}` : ''}, performed_by_user_id, ip, user_agent, created_at}`, ex);
    }

    // §2: a personal app "acts as its user", as a workspace app acts as its service user (above).
    const read = ctx.target.reads[0];
    if (!read) return void ctx.partial('the target names no read route: the personal app\'s actor was not judged');
    const made = await personalApp(ctx, 'audit001', ctx.target.scopes, "a personal app's actor was not judged");
    if (!made) return;
    const { app: personal, userId } = made;
    const personalProblems = (e: AuditEvent) => {
      const problems = shapeProblems(e);
      if (e.app_id !== personal.appId) problems.push(`app_id ${e.app_id} ≠ ${personal.appId}`);
      if (e.actor_user_id !== userId) problems.push(`actor_user_id ${e.actor_user_id} ≠ the personal app's user ${userId}`);
      return problems;
    };
    const { ex, events } = await eventsDuring(ctx, personal.appId, () => ctx.client(personal.token).read(read.tool), (fresh) => fresh.some((e) => personalProblems(e).length === 0));
    expectSuccess(ex, `${read.tool} by a personal app of user ${userId}`);
    recordingEvent(ctx, events, personalProblems, `one allowed ${read.tool} by a personal app`, `an event {app_id: ${personal.appId}, actor_user_id: ${userId}}`, ex);
  },
};
