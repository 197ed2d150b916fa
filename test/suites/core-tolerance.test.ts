/**
 * Variants the brief allows must not be reported: the final envelope checks run against a scripted server
 * whose answers are legal but unusual, and against one that breaks the rule, to show the line is drawn
 * exactly at the requirement.
 */
import { describe, expect, it } from 'vitest';
import { Finding, type CheckDef } from '../../src/engine/check.js';
import { createContext } from '../../src/engine/context.js';
import { env003 } from '../../suites/env/env-003.js';
import { env004 } from '../../suites/env/env-004.js';
import { fakeEnv, fakeTransport, type Handler } from '../engine/fakes.js';

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
