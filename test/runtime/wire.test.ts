/** Wire compatibility: field sets (and exact bodies where deterministic) of the authors' recorded exchanges. */
import { describe, expect, it } from 'vitest';
import { fixture, harness, type Res } from './helpers.js';

/** The shape of a JSON value: objects → their keys (recursively), arrays → the shape of their first item. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? [] : [shape(v[0])];
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
  }
  return '*';
}

function sameAsFixture(res: Res, name: string, exact = false) {
  const fx = fixture(name).response;
  expect(res.status, name).toBe(fx.status);
  expect(res.headers['content-type'], name).toBe(fx.headers['content-type']);
  if (exact) expect(res.json, name).toEqual(fx.body);
  else expect(shape(res.json), name).toEqual(shape(fx.body));
}

function replay(h: ReturnType<typeof harness>, name: string, token: string | null, path = fixture(name).request.path) {
  const req = fixture(name).request;
  return h.call(req.method, path, {
    token,
    body: req.body,
    headers: path.startsWith('/api/agent-admin') ? { ...h.runtime.adminHeaders, 'x-admin-user': 'admin_demo' } : {},
  });
}

describe('wire shapes match the recorded exchanges', () => {
  it('replays the fixture session field for field', async () => {
    const h = harness();
    const created = await replay(h, 'admin-create-app', null);
    sameAsFixture(created, 'admin-create-app');
    expect(created.json.data.key.token_prefix).toBe(created.json.data.token.slice(0, 12));
    expect(created.json.data.token).toMatch(/^op_[A-Za-z0-9_-]{43}$/);
    const tok = created.json.data.token as string;
    const appId = created.json.data.app.id as string;
    const ro = await replay(h, 'admin-create-app-readonly', null);
    sameAsFixture(ro, 'admin-create-app-readonly');
    const roTok = ro.json.data.token as string;

    const manifest = await replay(h, 'manifest-all-scopes', tok);
    expect(manifest.json.data.tools).toEqual(fixture('manifest-all-scopes').response.body.data.tools);
    sameAsFixture(manifest, 'manifest-all-scopes');
    const roManifest = await replay(h, 'manifest-ledger-read-only', roTok);
    expect(roManifest.json.data.tools).toEqual(fixture('manifest-ledger-read-only').response.body.data.tools);

    sameAsFixture(await replay(h, 'ledgers', tok), 'ledgers', true);
    sameAsFixture(await replay(h, 'transactions', tok), 'transactions');
    sameAsFixture(await replay(h, 'scope-denied', roTok), 'scope-denied', true);
    sameAsFixture(await replay(h, 'missing-token', null), 'missing-token', true);
    sameAsFixture(await replay(h, 'unknown-token', `op_${'x'.repeat(43)}`), 'unknown-token', true);
    sameAsFixture(await replay(h, 'unknown-action', tok), 'unknown-action', true);
    sameAsFixture(await replay(h, 'validation-error', tok), 'validation-error', true);
    sameAsFixture(await replay(h, 'healthz', null), 'healthz', true);

    const draft = await replay(h, 'action-create-draft', tok);
    sameAsFixture(draft, 'action-create-draft');
    const draftId = draft.json.data.draft.id as string;
    sameAsFixture(await replay(h, 'action-execute-denied-disabled', tok), 'action-execute-denied-disabled');
    sameAsFixture(await replay(h, 'draft-get', tok, `/api/agent/v1/drafts/${draftId}`), 'draft-get');
    sameAsFixture(await replay(h, 'admin-approve', null, `/api/agent-admin/v1/drafts/${draftId}/approve`), 'admin-approve');
    sameAsFixture(await replay(h, 'admin-approve-again', null, `/api/agent-admin/v1/drafts/${draftId}/approve`), 'admin-approve-again', true);
    sameAsFixture(await replay(h, 'draft-get-after-approve', tok, `/api/agent/v1/drafts/${draftId}`), 'draft-get-after-approve');

    sameAsFixture(await replay(h, 'preflight-delete', tok), 'preflight-delete');
    // Same request body (expiry timestamps included), so the normalised configuration must be identical.
    const auto = await replay(h, 'admin-auto-execute-enable', null, `/api/agent-admin/v1/apps/${appId}/auto-execute`);
    sameAsFixture(auto, 'admin-auto-execute-enable', true);
    // The fixture's windows were recorded with a 1 h expiry relative to its own clock; renew them for now.
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const body = fixture('admin-auto-execute-enable').request.body;
    await h.admin('PATCH', `/apps/${appId}/auto-execute`, {
      writes: { ...body.writes, expires_at: inAnHour },
      high_risk: { ...body.high_risk, expires_at: inAnHour },
    });
    sameAsFixture(await replay(h, 'action-auto-executed', tok), 'action-auto-executed');
    sameAsFixture(await replay(h, 'action-idempotent-replay', tok), 'action-idempotent-replay');
    const hr = await replay(h, 'high-risk-without-preflight', tok);
    sameAsFixture(hr, 'high-risk-without-preflight');
    expect(hr.json.data.autoExecuteDeniedCode).toBe('agent.preflight_required');

    const audit = await h.admin('GET', `/audit?appId=${appId}`);
    const expected = fixture('admin-audit').response.body.data.items as any[];
    for (const fx of expected) {
      const ours = audit.json.data.items.find((e: any) => e.action === fx.action && e.status === fx.status && e.code === fx.code);
      expect(ours, `${fx.action}/${fx.status}/${fx.code}`).toBeDefined();
      expect(shape(ours), fx.action).toEqual(shape(fx));
    }
    // Newest first, like the fixture's listing.
    const times = audit.json.data.items.map((e: any) => e.created_at);
    expect([...times].sort().reverse()).toEqual(times);
  });
});
