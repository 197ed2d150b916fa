// The engine against the real reference runtime, in-process (no sockets).
import { describe, expect, it } from 'vitest';
import { Finding } from '../../src/kit/check.js';
import { auditFor, listDrafts } from '../../src/kit/helpers.js';
import { run, EMBEDDED_RATE_LIMIT } from '../support/suite.js';
import { createRuntime } from '../../src/runtime/index.js';
import { InProcessTransport } from '../../src/runner/transport.js';
import { check, checkList } from './fakes.js';

describe('InProcessTransport', () => {
  it('calls the runtime handler and records the exchange', async () => {
    const rt = createRuntime({ seed: 1 });
    const t = new InProcessTransport(rt);
    const ex = await t.send({ method: 'GET', path: '/api/agent/v1/manifest', headers: { authorization: `Bearer ${rt.bootstrap.agentToken}` } });
    expect(ex.response.status).toBe(200);
    expect(ex.response.headers['content-type']).toMatch(/^application\/json/);
    expect((ex.response.json as { data: { tools: unknown[] } }).data.tools.length).toBeGreaterThan(0);
    const denied = await t.send({ method: 'GET', path: '/api/agent/v1/manifest', headers: {} });
    expect(denied.response).toMatchObject({ status: 401, json: { ok: false, code: 'agent.token_invalid' } });
    expect(t.observed()).toHaveLength(2);
    await t.close();
  });
});

describe('embedded run', () => {
  it('uses the bootstrap token and admin headers, provisions personas, audits, and revokes them at the end', async () => {
    let appId = '';
    const checks = [
      check('WRITE-001', async (ctx) => {
        expect(ctx.target.rateLimit).toEqual(EMBEDDED_RATE_LIMIT);
        const p = await ctx.persona({ name: 'writer' });
        appId = p.appId;
        const ex = await p.client.actions({ action: ctx.target.writes.create.action, payload: ctx.target.writes.create.payload });
        if (ex.response.status !== 200) throw new Finding('draft not created', '200', String(ex.response.status), ex);
        const drafts = await listDrafts(ctx, p.appId);
        if (drafts.length !== 1 || drafts[0].status !== 'draft') throw new Finding('one pending draft', '1 draft', JSON.stringify(drafts));
        const events = await auditFor(ctx, p.appId);
        if (!events.every((e) => e.app_id === p.appId) || events.length === 0) throw new Finding('audit', 'events of this app', JSON.stringify(events));
        ctx.note(`audit events: ${events.length}`);
      }),
      check('WRITE-002', async (ctx) => {
        const ex = await ctx.agent.read('ledger.list');
        if (ex.response.status !== 200) throw new Finding('bootstrap token works', '200', String(ex.response.status), ex);
      }),
    ];
    const report = await run({ checks: checkList(...checks), profile: 'write-lifecycle', only: ['WRITE-001', 'WRITE-002'], seed: 3 });
    expect(report.results.map((r) => [r.id, r.status, r.message])).toEqual([['WRITE-001', 'pass', undefined], ['WRITE-002', 'pass', undefined]]);
    expect(report.target).toEqual({ url: 'embedded:', embedded: true, faults: [] });
    expect(report.safety).toBe('load');
    expect(report.cleanup).toEqual({ revoked: [appId], failed: [] });
    // Two ids of the profile passed: that is a selection, never a conformant profile.
    expect(report).toMatchObject({ verdict: 'selection-passed', exitCode: 0, selection: { ids: ['WRITE-001', 'WRITE-002'] } });
  });

  it('turns findings into replay commands that name the failing request', async () => {
    const report = await run({
      checks: checkList(check('AUTHN-001', async (ctx) => { throw new Finding('x', 'y', 'z', await ctx.client().manifest()); })),
      only: ['AUTHN-001'],
      seed: 3,
    });
    expect(report.results[0].reproduce).toBe('openport-conform run --profile state-witness --only AUTHN-001 --seed 3  # failing request: GET /api/agent/v1/manifest');
    expect(report.exitCode).toBe(1);
  });

  it('requests without a valid token meet no flood guard: the embedded runtime serves this run alone (generated requests at --fuzz-runs 10000)', async () => {
    const refused: number[] = [];
    const report = await run({
      checks: checkList(check('AUTHN-001', async (ctx) => {
        // Past the 6 000 refusals per minute a shared server may answer 429 to.
        for (let i = 0; i < 6_100; i++) refused.push((await ctx.client('op_not_a_valid_token_0000000000').manifest()).response.status);
      })),
      only: ['AUTHN-001'],
      seed: 3,
    });
    expect(report.results[0]).toMatchObject({ status: 'pass' });
    expect(refused).toHaveLength(6_100);
    expect(new Set(refused)).toEqual(new Set([401]));
  });

  it('an unprovoked 429 under the embedded rate limit blocks the check', async () => {
    const report = await run({
      checks: checkList(check('AUTHN-001', async (ctx) => {
        for (let i = 0; i <= EMBEDDED_RATE_LIMIT.limit; i++) await ctx.agent.read('ledger.list');
      })),
      only: ['AUTHN-001'],
      seed: 3,
    });
    expect(report.results[0]).toMatchObject({ status: 'blocked' });
    expect(report).toMatchObject({ verdict: 'incomplete', exitCode: 3 });
  });
});
