import type { CheckDef, Exchange, RequestSpec } from '../../src/engine/check.js';
import { describe, fail, isRefusal } from '../../src/engine/expect.js';
import { validateAgainst } from '../../src/protocol/schemas.js';
import { ADMIN_CREATE_APP, ADMIN_OBJECT_WRITES, ADMIN_READS } from './admin-routes.js';
import { maybeAdmin } from './routes.js';

/** A truncated body: even a server with no admin authentication cannot create an app from it. */
const UNPARSEABLE = '{"name": ';

function expectEnvelope(ex: Exchange, what: string): void {
  const j = ex.response.json;
  const problems = j === undefined ? ['the body is not JSON'] : validateAgainst('envelope', j);
  if (ex.response.status >= 500 || problems.length > 0) {
    fail(`${what}: ${ex.response.status >= 500 ? 'a client mistake answered as a server error' : 'not an OpenPort envelope'}`,
      'an OpenPort envelope with a status below 500 (normally a 4xx refusal)', `${describe(ex)}${problems.length ? ` (${problems.slice(0, 2).join('; ')})` : ''}`, ex);
  }
}

export const env007: CheckDef = {
  id: 'ENV-007',
  safety: 'read-only',
  needs: [],
  description:
    'Sends every admin-plane route without admin credentials (reads, and writes aimed at ids that do not exist; POST /apps only with a truncated body) and, with admin credentials, ' +
    'the same routes again: every answer is an OpenPort envelope below 500. Answers without credentials that are not refusals are noted (the brief leaves admin authentication to the server).',
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
      ctx.note(`${specs.length} admin routes without credentials; with --admin-header the authenticated answers are judged too`);
      return;
    }
    const authed = [...ADMIN_READS, ...ADMIN_OBJECT_WRITES.map((r) => ({ ...r, body: {} }))];
    for (const spec of authed) expectEnvelope(await admin.request(spec), `${spec.method} ${spec.path} with admin credentials`);
    ctx.note(`${specs.length} admin routes without credentials, ${authed.length} with`);
  },
};
