import type { CheckDef, Exchange, RequestSpec } from '../../src/engine/check.js';
import { describe, fail } from '../../src/engine/expect.js';
import { validateAgainst } from '../../src/protocol/schemas.js';
import { ADMIN_CREATE_APP, ADMIN_OBJECT_WRITES, ADMIN_READS } from './admin-routes.js';
import { maybeAdmin } from './routes.js';

/** A truncated body: even a server with no admin authentication cannot create an app from it. */
const UNPARSEABLE = '{"name": ';

function expectEnvelope(ex: Exchange, what: string, refusal: boolean): void {
  const j = ex.response.json;
  const problems = j === undefined ? ['the body is not JSON'] : validateAgainst('envelope', j);
  if (ex.response.status >= 500 || problems.length > 0 || (refusal && (ex.response.status < 400 || (j as { ok?: unknown }).ok !== false))) {
    fail(`${what}: ${ex.response.status >= 500 ? 'a client mistake answered as a server error' : problems.length ? 'not an OpenPort envelope' : 'not refused'}`,
      refusal ? 'a 4xx error envelope {ok:false, code, message}' : 'an OpenPort envelope with a status below 500',
      `${describe(ex)}${problems.length ? ` (${problems.slice(0, 2).join('; ')})` : ''}`, ex);
  }
}

export const env007: CheckDef = {
  id: 'ENV-007',
  safety: 'read-only',
  needs: [],
  description:
    'Sends every admin-plane route without admin credentials (reads, and writes aimed at ids that do not exist; POST /apps only with a truncated body) and expects a 4xx error envelope; ' +
    'with admin credentials, the same routes must still answer envelopes below 500.',
  async run(ctx) {
    const anonymous = ctx.client();
    const specs: RequestSpec[] = [
      ...ADMIN_READS,
      ...ADMIN_OBJECT_WRITES.map((r) => ({ ...r, body: {} })),
      { ...ADMIN_CREATE_APP, headers: { 'content-type': 'application/json' }, rawBody: UNPARSEABLE },
    ];
    for (const spec of specs) expectEnvelope(await anonymous.request(spec), `${spec.method} ${spec.path} without admin credentials`, true);
    const admin = maybeAdmin(ctx);
    if (!admin) {
      ctx.note(`${specs.length} admin routes without credentials; with --admin-header the authenticated answers are judged too`);
      return;
    }
    const authed = [...ADMIN_READS, ...ADMIN_OBJECT_WRITES.map((r) => ({ ...r, body: {} }))];
    for (const spec of authed) expectEnvelope(await admin.request(spec), `${spec.method} ${spec.path} with admin credentials`, false);
    ctx.note(`${specs.length} admin routes without credentials, ${authed.length} with`);
  },
};
