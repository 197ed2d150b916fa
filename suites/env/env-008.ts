import type { CheckDef, Exchange, RequestSpec } from '../../src/kit/check.js';
import { AGENT_BASE } from '../../src/protocol/types.js';
import { ADMIN_CREATE_APP, ADMIN_OBJECT_WRITES, expectEnvelopeBelow500, expectValidationDetails } from './admin-routes.js';
import { maybeAdmin, maybeAgent } from './routes.js';

/**
 * Fields of the wrong type: if a lenient parser accepts one of the bodies below, a validating server still
 * refuses it, so POST /apps never creates an app and the agent routes never create a draft.
 */
const INVALID = '{"scope": 7, "name": 7, "action": 7}';

const BODIES: readonly { name: string; contentType: string; text: string }[] = [
  { name: 'truncated JSON', contentType: 'application/json', text: '{"action": "' },
  { name: 'trailing garbage', contentType: 'application/json', text: `${INVALID} conform-trailing-garbage` },
  { name: 'NaN literal', contentType: 'application/json', text: '{"scope": NaN}' },
  { name: 'wrong content type', contentType: 'text/plain', text: INVALID },
  { name: 'byte-order mark', contentType: 'application/json', text: `\uFEFF${INVALID}` },
  // Valid JSON that is not an object: no route takes one, and no server can act on one.
  { name: 'a JSON array', contentType: 'application/json', text: '[]' },
  { name: 'a JSON string', contentType: 'application/json', text: '"conform"' },
  { name: 'a JSON number', contentType: 'application/json', text: '42' },
  { name: 'JSON null', contentType: 'application/json', text: 'null' },
];

/**
 * Below 500 as an envelope; a refusal as a 400 validation failure carries its issues like any other (§4). A 413 or
 * 415 with the envelope refuses the body as a whole, before validating it, and is not held to that.
 */
const judge = (ex: Exchange, what: string) => {
  expectEnvelopeBelow500(ex, what, 'malformed input', '400 common.validation');
  if (ex.response.status === 400 && (ex.response.json as { code?: unknown }).code === 'common.validation') expectValidationDetails(ex, what);
};

export const env008: CheckDef = {
  id: 'ENV-008',
  safety: 'read-only',
  needs: [],
  bindings: ['http'],
  description:
    'Sends truncated JSON, trailing garbage, a NaN literal, a wrong content type, a byte-order mark and JSON that is not an object (an array, a string, a number, null) to POST preflight and POST actions (with a key of its own where the run may make one, else the run\'s token) and to every admin POST/PATCH route ' +
    '(with the admin headers; ids that do not exist, POST /apps only with wrongly typed fields); fails on a 5xx, a non-envelope answer, or a 400 common.validation refusal without details.issues[] of {code, path, message}.',
  expectedCodes: ['common.validation'],
  async run(ctx) {
    // A key of its own where the run may make one: these bodies would otherwise spend the run token's share of the rate limit.
    const withToken = ctx.provisions ? (await ctx.persona({ name: 'env008 bodies' })).client : maybeAgent(ctx);
    const withAdmin = maybeAdmin(ctx);
    const agent = withToken ?? ctx.client();
    const admin = withAdmin ?? ctx.client();
    const routes: { client: { request(s: RequestSpec): Promise<Exchange> }; method: string; path: string }[] = [
      { client: agent, method: 'POST', path: `${AGENT_BASE}/preflight` },
      { client: agent, method: 'POST', path: `${AGENT_BASE}/actions` },
      ...[ADMIN_CREATE_APP, ...ADMIN_OBJECT_WRITES].map((r) => ({ client: admin, ...r })),
    ];
    for (const { client, method, path } of routes) {
      for (const body of BODIES) {
        const ex = await client.request({ method, path, headers: { 'content-type': body.contentType }, rawBody: body.text });
        judge(ex, `${method} ${path} with ${body.name}`);
      }
    }
    const anonymous = [withToken ? '' : 'agent routes without a token', withAdmin ? '' : 'admin routes without admin headers'].filter(Boolean);
    ctx.note(`${routes.length * BODIES.length} malformed bodies on ${routes.length} routes${anonymous.length ? `; ${anonymous.join(' and ')} (a server that authenticates first never parses those bodies)` : ''}`);
  },
};
