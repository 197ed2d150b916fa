/**
 * Variants the brief allows must not be reported: checks run against a scripted server, or the reference
 * runtime with one answer rewritten, whose answers are legal but unusual — and against one that breaks the
 * rule, to show the line is drawn exactly at the requirement.
 */
import { describe, expect, it } from 'vitest';
import { Finding, type CheckDef } from '../../src/kit/check.js';
import { createContext } from '../../src/runner/context.js';
import { run } from '../support/suite.js';
import { createRuntime, startHttpServer } from '../../src/runtime/index.js';
import type { Runtime, RuntimeRequest, RuntimeResponse } from '../../src/runtime/types.js';
import { env003 } from '../../suites/env/env-003.js';
import { env004 } from '../../suites/env/env-004.js';
import { fakeEnv, fakeTransport, type Handler } from '../runner/fakes.js';

async function runAgainst(def: CheckDef, handler: Handler): Promise<{ error: unknown; notes: string[] }> {
  const { ctx, state } = createContext(def, fakeEnv({ transport: fakeTransport(handler), adminHeaders: undefined }), new AbortController().signal);
  const error = await def.run(ctx).then(() => undefined, (e: unknown) => e);
  return { error, notes: state.notes };
}

const unauthorized: Handler = () => ({ status: 401, body: { ok: false, code: 'agent.token_invalid', message: 'no' } });

describe('ENV-003 status/code consistency', () => {
  it('reports an unknown agent.* code as unexpected, not as a failure', async () => {
    const { error, notes } = await runAgainst(env003, (req) =>
      req.path.includes('/actions') ? { status: 402, body: { ok: false, code: 'agent.quota_exhausted', message: 'quota' } } : unauthorized(req));
    expect(error).toBeUndefined();
    expect(notes.join(' ')).toContain('unexpected code(s) not in the registry: agent.quota_exhausted');
  });

  it('fails a registry code carried with another status, counting every offender', async () => {
    const { error } = await runAgainst(env003, (req) =>
      req.method === 'POST' ? { status: 400, body: { ok: false, code: 'agent.token_invalid', message: 'no' } } : unauthorized(req));
    expect(error).toBeInstanceOf(Finding);
    expect((error as Finding).message).toMatch(/^\d+ of \d+ responses carry an HTTP status that disagrees/);
    expect((error as Finding).exchange?.request.method).toBe('POST');
  });
});

describe('ENV-004 content type', () => {
  it('accepts application/json with parameters and fails text/plain', async () => {
    const ok = await runAgainst(env004, (req) => ({ ...unauthorized(req), headers: { 'content-type': 'application/json; charset=utf-8' } }));
    expect(ok.error).toBeUndefined();
    const bad = await runAgainst(env004, (req) => (req.method === 'DELETE' ? { ...unauthorized(req), headers: { 'content-type': 'text/plain' } } : unauthorized(req)));
    expect(bad.error).toBeInstanceOf(Finding);
    expect((bad.error as Finding).actual).toContain('Content-Type: text/plain');
  });
});

/** The reference runtime over HTTP with `edit` rewriting its answers; returns the status of each check run. */
async function runVariant(edit: (req: RuntimeRequest, res: RuntimeResponse) => RuntimeResponse, only: string[]): Promise<Record<string, string>> {
  const rt = createRuntime();
  const variant: Runtime = { ...rt, adminHeaders: rt.adminHeaders, bootstrap: rt.bootstrap, faults: rt.faults, close: () => rt.close(), handle: async (req) => edit(req, await rt.handle(req)) };
  const server = await startHttpServer(variant);
  try {
    const report = await run({ url: server.url, token: rt.bootstrap.agentToken, adminHeaders: rt.adminHeaders, profile: 'core', safety: 'draft', only, seed: 7 });
    return Object.fromEntries(report.results.map((r) => [r.id, `${r.status}${r.message ? `: ${r.message}` : ''}${r.actual ? ` (${r.actual})` : ''}`]));
  } finally {
    await server.close();
    await rt.close();
  }
}

const envelope = (status: number, code: string): RuntimeResponse => ({
  status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ ok: false, code, message: 'refused' }),
});

describe('variants of the reference runtime the brief allows', () => {
  it('a cross-tenant read answered 404 agent.not_found instead of 403 passes TENANT-001 and TENANT-002', async () => {
    const statuses = await runVariant(
      (req, res) => (req.path.includes('/transactions') && res.body.includes('"agent.policy_denied"') ? envelope(404, 'agent.not_found') : res),
      ['TENANT-001', 'TENANT-002'],
    );
    expect(statuses).toEqual({ 'TENANT-001': 'pass', 'TENANT-002': 'pass' });
  });

  it('refusing a key whose expiresAt is already past makes AUTHN-005 wait out a short-lived key instead', async () => {
    const statuses = await runVariant((req, res) => {
      if (req.method !== 'POST' || !/\/keys$/.test(req.path) || !req.body) return res;
      const { expiresAt } = JSON.parse(Buffer.from(req.body).toString()) as { expiresAt?: string };
      return expiresAt && Date.parse(expiresAt) < Date.now() ? envelope(400, 'common.validation') : res;
    }, ['AUTHN-005']);
    expect(statuses['AUTHN-005']).toMatch(/^pass \(a past expiresAt was refused at creation .*used a key expiring soon on its clock(; .*)?\)$/);
  });
});
