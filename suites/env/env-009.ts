import { ToolError, type CheckContext, type CheckDef, type Exchange } from '../../src/kit/check.js';
import { describe, expectError, fail } from '../../src/kit/expect.js';
import { ADMIN_BASE } from '../../src/protocol/types.js';
import { draftCreate, marker } from '../lib-write.js';
import { keyFrom } from './routes.js';

/**
 * A step that goes through the admin client's provisioning (which keeps the tokens it issues secret and
 * cleans up the apps it creates): its refusal is this check's finding, since the route is what is judged.
 */
async function provisioned<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof ToolError && e.code === 'OPC_E_ADMIN_REFUSED') fail(`${what}: the admin route did not answer its success`, 'HTTP 2xx {ok:true, code:"common.success", data}', e.message);
    throw e;
  }
}

/** A success envelope with a 2xx status (the admin plane may answer a create with 201); returns `data`. */
function expectServed(ex: Exchange, what: string): any {
  const j = ex.response.json as { ok?: unknown; code?: unknown; data?: unknown } | undefined;
  if (ex.response.status < 200 || ex.response.status > 299 || j?.ok !== true || j.code !== 'common.success' || !('data' in j)) {
    fail(`${what}: the route does not answer its success`, { text: 'HTTP 2xx {ok:true, code:"common.success", data}' }, describe(ex), ex);
  }
  return j.data;
}

async function judgeRoutes(ctx: CheckContext): Promise<void> {
  const admin = ctx.admin;
  const app = (id: string) => `${ADMIN_BASE}/apps/${encodeURIComponent(id)}`;
  const served = async (what: string, ex: Promise<Exchange>): Promise<Exchange> => {
    const got = await ex;
    expectServed(got, what);
    return got;
  };

  await served('GET /healthz', ctx.client().request({ method: 'GET', path: '/healthz' }));
  // POST /apps answers the app plus its first key and token: the persona is that app.
  const p = await provisioned('POST /apps', () => ctx.persona({ name: 'env009 routes' }));
  await served('GET /apps', admin.request({ method: 'GET', path: `${ADMIN_BASE}/apps` }));
  await served('GET /apps/{id}/tools', admin.request({ method: 'GET', path: `${app(p.appId)}/tools` }));
  const keyEx = await provisioned('POST /apps/{id}/keys', () => admin.createKey(p.appId, { name: 'openport-conform env009' }));
  const key = keyFrom(keyEx);
  if (!key) fail('POST /apps/{id}/keys does not return the key and its token', { text: 'data.key.id and data.token' }, describe(keyEx), keyEx);
  await served('POST /keys/{id}/revoke', admin.request({ method: 'POST', path: `${ADMIN_BASE}/keys/${encodeURIComponent(key.keyId)}/revoke`, body: {} }));
  await served('PATCH /apps/{id}/policy', admin.request({ method: 'PATCH', path: `${app(p.appId)}/policy`, body: {} }));
  await served('PATCH /apps/{id}/auto-execute', admin.request({ method: 'PATCH', path: `${app(p.appId)}/auto-execute`, body: {} }));

  // The draft routes on a draft of this app that never executes: listed, read, rejected, then refused approval.
  const draftId = await draftCreate(ctx, p, marker(ctx));
  await served('GET /drafts?appId', admin.request({ method: 'GET', path: `${ADMIN_BASE}/drafts?appId=${encodeURIComponent(p.appId)}` }));
  const read = await served('GET /drafts/{id}', admin.draft(draftId));
  if (!read.response.text.includes(draftId)) fail(`GET /drafts/{id} does not show draft ${draftId}`, { text: `{draft: {id: ${draftId}}, execution}` }, describe(read), read);
  await served('POST /drafts/{id}/reject', admin.reject(draftId, 'openport-conform ENV-009'));
  // Approving the now canceled draft: the route answers, and a final draft is never executed.
  expectError(await admin.approve(draftId, 'openport-conform ENV-009'), 'agent.draft_already_final', 'POST /drafts/{id}/approve of a rejected draft');
  await served('GET /audit', admin.request({ method: 'GET', path: `${ADMIN_BASE}/audit?appId=${encodeURIComponent(p.appId)}&limit=1000`, bulk: true }));
  // Through the client, so the run's clean-up knows the app is revoked already.
  await served('POST /apps/{id}/revoke', provisioned('POST /apps/{id}/revoke', () => admin.revokeApp(p.appId)));
}

export const env009: CheckDef = {
  id: 'ENV-009',
  safety: 'draft',
  needs: ['admin'],
  bindings: ['http'],
  description:
    'Every route of the admin plane and GET /healthz answers its success: an app created (with its key and token), listed, its tools, a key issued and revoked, ' +
    'policy and auto-execute set, a draft of the app listed, read and rejected (its approval then refused as final, so nothing runs), the audit trail, the app revoked.',
  expectedCodes: ['common.success', 'agent.draft_already_final'],
  run: judgeRoutes,
};
