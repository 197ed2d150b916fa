import type { CheckDef, Exchange, RequestSpec } from '../../src/kit/check.js';
import { isRefusal } from '../../src/kit/expect.js';
import { ADMIN_CREATE_APP, ADMIN_OBJECT_WRITES, ADMIN_READS, expectEnvelopeBelow500 } from './admin-routes.js';
import { maybeAdmin } from './routes.js';

/** A truncated body: even a server with no admin authentication cannot create an app from it. */
const UNPARSEABLE = '{"name": ';

const expectEnvelope = (ex: Exchange, what: string) => expectEnvelopeBelow500(ex, what, 'a client mistake', 'a 4xx refusal');

export const env007: CheckDef = {
  id: 'ENV-007',
  safety: 'read-only',
  needs: [],
  bindings: ['http'],
  description:
    'Sends every admin-plane route without admin credentials (reads, and writes aimed at ids that do not exist; POST /apps only with a truncated body) and, with admin credentials, ' +
    'the same routes again, and each route with PUT, a method none takes: every answer is an OpenPort envelope below 500. Answers without credentials that are not refusals are noted (the brief leaves admin authentication to the server).',
  async run(ctx) {
    const anonymous = ctx.client();
    const specs: RequestSpec[] = [
      ...ADMIN_READS,
      ...ADMIN_OBJECT_WRITES.map((r) => ({ ...r, body: {} })),
      { ...ADMIN_CREATE_APP, headers: { 'content-type': 'application/json' }, rawBody: UNPARSEABLE },
    ];
    const admitted: string[] = [];
    for (const spec of specs) {
      const ex = await anonymous.request(spec);
      expectEnvelope(ex, `${spec.method} ${spec.path} without admin credentials`);
      if (!isRefusal(ex)) admitted.push(`${spec.method} ${spec.path}`);
    }
    if (admitted.length) ctx.note(`answered without admin credentials (no refusal): ${admitted.join(', ')}`);
    const admin = maybeAdmin(ctx);
    if (!admin) {
      ctx.note(`${specs.length} admin routes without credentials`);
      ctx.partial('no admin credentials: the authenticated answers of the admin routes were not judged (--admin-header)');
      return;
    }
    // And each route with a method the binding gives none of them (PUT): the wrong-method answer of the admin
    // plane is an envelope too (§4 "errors included"); the objects named do not exist, so nothing can change.
    const wrongMethod = [...new Set([...ADMIN_READS, ...ADMIN_OBJECT_WRITES].map((r) => r.path))].map((path) => ({ method: 'PUT', path, body: {} }));
    const authed = [...ADMIN_READS, ...ADMIN_OBJECT_WRITES.map((r) => ({ ...r, body: {} })), ...wrongMethod];
    for (const spec of authed) expectEnvelope(await admin.request(spec), `${spec.method} ${spec.path} with admin credentials`);
    ctx.note(`${specs.length} admin routes without credentials, ${authed.length} with (${wrongMethod.length} of them with a method the route does not take)`);
  },
};
