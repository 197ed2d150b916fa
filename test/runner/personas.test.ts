import { describe, expect, it } from 'vitest';
import type { CheckDef } from '../../src/kit/check.js';
import { createAdminClient } from '../../src/kit/clients.js';
import { createContext, runSecrets } from '../../src/runner/context.js';
import { auditFor, countExecutions, listDrafts, readBack, readMarked, withResource } from '../../src/kit/helpers.js';
import { check, fakeEnv, fakeTransport, type Handler } from './fakes.js';
import { virtualClock } from '../../src/runner/clock.js';

const ok = (data: unknown) => ({ status: 200, body: { ok: true, code: 'common.success', data } });

/** A tiny admin plane: numbered apps, revocation that can be made to fail, an audit log of two apps. */
function adminPlane(opts: { failRevoke?: string } = {}) {
  let n = 0;
  const bodies: Record<string, unknown>[] = [];
  const handler: Handler = (req) => {
    const body = req.body ? JSON.parse(req.body) : undefined;
    bodies.push({ method: req.method, path: req.path, body });
    const path = req.path.split('?')[0];
    if (req.method === 'POST' && path === '/api/agent-admin/v1/apps') {
      n++;
      return ok({ app: { id: `app_${n}`, org_id: body.org_id }, key: { id: `key_${n}` }, token: `op_persona_token_number_${n}` });
    }
    if (req.method === 'POST' && path.endsWith('/revoke')) {
      return path.includes(opts.failRevoke ?? '\0') ? { status: 500, body: { ok: false, code: 'common.internal_error', message: 'x' } } : ok({ ok: true });
    }
    if (req.method === 'PATCH') return ok({ ok: true });
    if (path === '/api/agent-admin/v1/audit') return ok({ items: [{ id: 'a2', app_id: 'app_1' }, { id: 'a1', app_id: 'app_9' }, { id: 'a0', app_id: 'app_1', status: 'denied' }] });
    if (path === '/api/agent-admin/v1/drafts') {
      return ok({ items: [{ id: 'd1', app_id: 'app_1', status: 'confirmed' }, { id: 'd2', app_id: 'app_1', status: 'draft' }, { id: 'd3', app_id: 'app_2', status: 'confirmed' }] });
    }
    if (path === '/api/agent-admin/v1/drafts/d1') return ok({ draft: {}, execution: { id: 'exe_1' } });
    if (path === '/api/agent-admin/v1/drafts/d2') return ok({ draft: {}, execution: null });
    if (path === '/api/agent/v1/transactions') {
      const page = Number(new URL(req.path, 'http://x').searchParams.get('page') ?? '1');
      return ok({ items: [{ id: `txn_p${page}` }], hasMore: page < 3 });
    }
    return { status: 404, body: { ok: false, code: 'agent.not_found', message: 'no' } };
  };
  return { transport: fakeTransport(handler), bodies };
}

const def: CheckDef = check('WRITE-001', () => undefined);

describe('personas', () => {
  it('provisions an app with the target defaults, applies policy and auto-execute, and cleans up', async () => {
    const plane = adminPlane();
    const env = fakeEnv({ transport: plane.transport });
    const { ctx } = createContext(def, env, new AbortController().signal);
    const p = await ctx.persona({ name: 'Read Only', scopes: ['ledger.read'], policy: { data: { max_days: 3 } }, autoExecute: { writes: { enabled: true } } });
    expect(p).toMatchObject({ appId: 'app_1', keyId: 'key_1', token: 'op_persona_token_number_1', orgId: 'org_demo', name: 'Read Only' });
    const [create, policy, auto] = plane.bodies;
    expect(create.body).toMatchObject({ scope: 'workspace', org_id: 'org_demo', service_user_id: 'svc_conform_read_only', scopes: ['ledger.read'] });
    expect((create.body as { name: string }).name).toMatch(/^openport-conform Read Only [0-9a-f]{6} opc-run-[0-9a-f]{12}$/);
    expect(policy).toEqual({ method: 'PATCH', path: '/api/agent-admin/v1/apps/app_1/policy', body: { data: { max_days: 3 } } });
    expect(auto).toEqual({ method: 'PATCH', path: '/api/agent-admin/v1/apps/app_1/auto-execute', body: { writes: { enabled: true } } });
    // Redaction knows every secret; leak scans only credentials (an operator id may legitimately come back).
    expect(runSecrets(env)).toEqual(expect.arrayContaining([env.token, 'admin_test', 'op_persona_token_number_1']));
    expect(ctx.secrets()).toEqual(expect.arrayContaining([env.token, 'op_persona_token_number_1']));
    expect(ctx.secrets()).not.toContain('admin_test');

    const other = await ctx.persona({ name: 'other', orgId: env.target.otherOrgId });
    expect(other.orgId).toBe('org_conform_other');
    expect(plane.bodies[3].body).toMatchObject({ scopes: env.target.scopes });
    await ctx.admin.revokeApp(other.appId);
    const revokeCalls = () => plane.bodies.filter((b) => String(b.path).endsWith('/revoke')).length;
    expect(revokeCalls()).toBe(1);

    const cleanup = await env.registry.cleanup(createAdminClient((r) => plane.transport.send(r), env.adminHeaders!));
    expect(cleanup).toEqual({ revoked: ['app_1', 'app_2'], failed: [] });
    expect(revokeCalls()).toBe(2); // the app the check revoked is not revoked again
  });

  it('reports apps it could not revoke', async () => {
    const plane = adminPlane({ failRevoke: 'app_1' });
    const env = fakeEnv({ transport: plane.transport });
    const { ctx } = createContext(def, env, new AbortController().signal);
    await ctx.persona({ name: 'a' });
    await ctx.persona({ name: 'b' });
    expect(await env.registry.cleanup(createAdminClient((r) => plane.transport.send(r), env.adminHeaders!))).toEqual({ revoked: ['app_2'], failed: ['app_1'] });
  });
});

describe('suite helpers', () => {
  it('audit and drafts are filtered client-side by app, executions counted per draft', async () => {
    const plane = adminPlane();
    const { ctx } = createContext(def, fakeEnv({ transport: plane.transport }), new AbortController().signal);
    expect((await auditFor(ctx, 'app_1')).map((e) => e.id)).toEqual(['a2', 'a0']);
    expect((await auditFor(ctx, 'app_1', (e) => e.status === 'denied')).map((e) => e.id)).toEqual(['a0']);
    expect(plane.bodies.find((b) => String(b.path).startsWith('/api/agent-admin/v1/audit'))!.path).toBe('/api/agent-admin/v1/audit?appId=app_1&limit=1000');
    expect((await listDrafts(ctx, 'app_1')).map((d) => d.id)).toEqual(['d1', 'd2']);
    expect((await listDrafts(ctx, 'app_1', 'draft')).map((d) => d.id)).toEqual(['d2']);
    expect(await countExecutions(ctx, 'app_1')).toBe(1);
  });

  it('reads back across pages and finds one row by id', async () => {
    const plane = adminPlane();
    const { ctx } = createContext(def, fakeEnv({ transport: plane.transport }), new AbortController().signal);
    expect((await readBack(ctx, ctx.agent)).map((r) => r.id)).toEqual(['txn_p1', 'txn_p2', 'txn_p3']);
    expect(await readBack(ctx, ctx.agent, 'txn_p2')).toEqual({ id: 'txn_p2' });
    expect(await readBack(ctx, ctx.agent, 'txn_missing')).toBeUndefined();
  });

  /**
   * A listing paged by offset, two rows a page, newest first; `between` changes it after each page's answer (the
   * writes of other checks running beside the read).
   */
  function offsetListing(ids: string[], between: (ids: string[], page: number) => void) {
    const transport = fakeTransport((req) => {
      const page = Number(new URL(req.path, 'http://x').searchParams.get('page') ?? '1');
      const items = ids.slice((page - 1) * 2, page * 2).map((id) => ({ id, title: `row ${id}` }));
      const hasMore = ids.length > page * 2;
      between(ids, page);
      return ok({ items, hasMore });
    });
    const { ctx } = createContext(def, fakeEnv({ transport }), new AbortController().signal);
    return { ctx, transport };
  }
  const once = () => {
    let done = false;
    return (change: () => void) => (done ? undefined : ((done = true), change()));
  };

  it('counts a row pushed onto the next page by an insert once, in one pass', async () => {
    const first = once();
    const { ctx, transport } = offsetListing(['a', 'b', 'c', 'd'], (ids) => first(() => ids.unshift('new')));
    expect((await readBack(ctx, ctx.agent)).map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(transport.sent).toHaveLength(3);
    const again = offsetListing(['a', 'b', 'c', 'd'], (ids) => first(() => ids.unshift('new')));
    expect(await readMarked(again.ctx, again.ctx.agent, 'row b', 1)).toEqual([{ id: 'b', title: 'row b' }]);
  });

  it('finds a row pulled back onto a page already read by a removal in a second pass, before calling it absent', async () => {
    const shifted = () => {
      const first = once();
      return offsetListing(['a', 'b', 'c', 'd', 'e'], (ids) => first(() => ids.shift()));
    };
    let { ctx, transport } = shifted();
    expect(await readBack(ctx, ctx.agent, 'c')).toEqual({ id: 'c', title: 'row c' });
    expect(transport.sent).toHaveLength(3); // the second pass stops at the row
    ({ ctx, transport } = shifted());
    expect(await readMarked(ctx, ctx.agent, 'row c', 1)).toEqual([{ id: 'c', title: 'row c' }]);
    expect(transport.sent).toHaveLength(4);
    // Found in the first pass, or none expected: one pass.
    ({ ctx, transport } = shifted());
    expect(await readMarked(ctx, ctx.agent, 'row c', 0)).toEqual([]);
    expect(transport.sent).toHaveLength(2);
  });

  it('reads a listing of one page once, and keeps rows without an id as they came', async () => {
    const transport = fakeTransport(() => ok({ items: [{ id: 'x' }, { title: 'no id' }, { title: 'no id' }], hasMore: false }));
    const { ctx } = createContext(def, fakeEnv({ transport }), new AbortController().signal);
    expect(await readBack(ctx, ctx.agent)).toEqual([{ id: 'x' }, { title: 'no id' }, { title: 'no id' }]);
    expect(await readBack(ctx, ctx.agent, 'y')).toBeUndefined();
    expect(transport.sent).toHaveLength(2);
  });

  it('lists a draft two pages of the admin listing both show once (a cursor counting rows, a draft created between)', async () => {
    const drafts = [{ id: 'd1', app_id: 'app_1', status: 'confirmed', execution: { id: 'exe_1' } }, { id: 'd2', app_id: 'app_1', status: 'draft', execution: null }];
    const transport = fakeTransport((req) => {
      const at = Number(new URL(req.path, 'http://x').searchParams.get('cursor') ?? '0');
      const items = drafts.slice(at, at + 1);
      if (at === 0) drafts.unshift({ id: 'd0', app_id: 'app_1', status: 'draft', execution: null });
      return ok({ items, nextCursor: at + 1 < drafts.length ? String(at + 1) : null });
    });
    const { ctx } = createContext(def, fakeEnv({ transport }), new AbortController().signal);
    expect((await listDrafts(ctx, 'app_1')).map((d) => d.id)).toEqual(['d1', 'd2']);
  });

  /** Three pages of rows; the pages named in `limited` answer a rate limiter's 429 (with `retryAfter`) as often as they are listed there. */
  function limitedListing(limited: number[], extra: { retryAfter?: string; reason?: string } = {}) {
    const left = [...limited];
    const clock = virtualClock(0);
    const transport = fakeTransport((req) => {
      const page = Number(new URL(req.path, 'http://x').searchParams.get('page') ?? '1');
      const at = left.indexOf(page);
      if (at >= 0) {
        left.splice(at, 1);
        return {
          status: 429,
          headers: extra.retryAfter === undefined ? {} : ({ 'retry-after': extra.retryAfter } as Record<string, string>),
          body: { ok: false, code: 'agent.rate_limited', message: 'slow down', ...(extra.reason ? { details: { reason: extra.reason } } : {}) },
        };
      }
      return ok({ items: [{ id: `r${page}`, title: `row ${page}` }], hasMore: page < 3 });
    });
    const run = createContext(def, fakeEnv({ transport, windowClock: clock }), new AbortController().signal);
    return { ...run, transport, clock };
  }

  it('waits out a rate limit the read-back meets (Retry-After, else the window) and reads on, noting each wait', async () => {
    let { ctx, state, transport, clock } = limitedListing([2], { retryAfter: '7' });
    expect((await readBack(ctx, ctx.agent)).map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
    expect(transport.sent).toHaveLength(4);
    // The server's history, not this run's evidence: bulk traffic for the journal.
    expect(transport.sent.every((q) => q.bulk === true)).toBe(true);
    expect(clock.now()).toBe(7_000);
    expect(state.blocked).toBeUndefined();
    expect(state.notes).toEqual([expect.stringMatching(/^waited 7\.0 s for a rate limit's 429 on GET \S+page=2/)]);
    // Without Retry-After: the target's window (the demo description's 60 s).
    ({ ctx, state, clock } = limitedListing([3, 3]));
    expect(await readMarked(ctx, ctx.agent, 'row 3', 1)).toEqual([{ id: 'r3', title: 'row 3' }]);
    expect(clock.now()).toBe(2 * 60_000);
    expect(state.notes).toHaveLength(2);
  });

  it("is blocked after a few waits, and at once by a quota's 429 or a 429 outside a read-back", async () => {
    let { ctx, state } = limitedListing([1, 1, 1, 1], { retryAfter: '1' });
    await expect(readBack(ctx, ctx.agent)).rejects.toThrow(/rate limited: GET .* \(after 3 waits for its rate limit\)/);
    expect(state.blocked).toBeDefined();
    ({ ctx, state } = limitedListing([2], { retryAfter: '1', reason: 'storage_full' }));
    await expect(readBack(ctx, ctx.agent)).rejects.toMatchObject({ message: expect.stringMatching(/refused for lack of room/), hint: expect.stringMatching(/^free room on the server/) });
    expect(state.notes).toEqual([]);
    // The embedded runtime is the run's own and starts empty: nothing there to free, only less to make.
    const embedded = limitedListing([1], { reason: 'storage_full' });
    Object.assign(embedded.transport, { embedded: true });
    await expect(readBack(embedded.ctx, embedded.ctx.agent)).rejects.toMatchObject({ hint: expect.stringMatching(/^the embedded runtime holds .* \(a smaller --fuzz-runs\)/) });
    ({ ctx, state } = limitedListing([1], { retryAfter: '1' }));
    await expect(ctx.agent.read('transaction.list', {})).rejects.toThrow(/rate limited: GET/);
    expect(state.blocked).toBeDefined();
  });

  it('refuses to call a row absent after a listing it could not finish', async () => {
    const endless = fakeTransport((req) => ({ status: 200, body: { ok: true, code: 'common.success', data: { items: [{ id: `r${req.path.length}` }], hasMore: true } } }));
    const { ctx } = createContext(def, fakeEnv({ transport: endless }), new AbortController().signal);
    await expect(readBack(ctx, ctx.agent, 'txn_missing')).rejects.toThrow(/read-back stopped after \d+ pages/);
  });

  it('withResource replaces "$resourceId" at any depth and leaves the template alone', () => {
    const tpl = { transactionId: '$resourceId', nested: [{ ref: '$resourceId' }], keep: 'x$resourceId' };
    expect(withResource(tpl, 'txn_9')).toEqual({ transactionId: 'txn_9', nested: [{ ref: 'txn_9' }], keep: 'x$resourceId' });
    expect(tpl.transactionId).toBe('$resourceId');
  });
});
