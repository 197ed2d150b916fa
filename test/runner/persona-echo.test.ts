// A server that stores a policy in another shape must make dependent checks error, never fail.
import { describe, expect, it } from 'vitest';
import { ToolError, type AdminClient, type Exchange } from '../../src/kit/check.js';
import { provisionPersona } from '../../src/runner/personas.js';
import { shippedTarget } from '../../src/runner/target-file.js';
const DEMO_TARGET = shippedTarget('demo');

const ex = (data: unknown): Exchange => ({
  request: { method: 'PATCH', path: '/x', headers: {} },
  response: { status: 200, headers: { 'content-type': 'application/json' }, text: '', json: { ok: true, code: 'common.success', data } },
  durationMs: 1,
});

function admin(policyEcho: unknown): AdminClient {
  const used: Pick<AdminClient, 'createApp' | 'setPolicy' | 'setAutoExecute'> = {
    createApp: async () => ({ appId: 'app_1', keyId: 'key_1', token: 'op_x', orgId: 'org_demo', raw: {} }),
    setPolicy: async () => ex(policyEcho),
    setAutoExecute: async (_id, cfg) => ex({ ok: true, auto_execute: { ...cfg, writes: { ...cfg.writes, require_x: true } } }),
  };
  // Persona provisioning calls only these three; any other call would be a bug of the test, seen as a TypeError.
  return used as AdminClient;
}

describe('persona provisioning', () => {
  const policy = { network: { allowed_ips: ['203.0.113.7'] } };
  it('accepts an echo that contains what was sent (with defaults filled in)', async () => {
    const p = await provisionPersona(admin({ ok: true, policy: { network: { allowed_ips: ['203.0.113.7'] }, data: {} } }), DEMO_TARGET, { name: 'ok', policy, autoExecute: { writes: { enabled: true } } }, () => ({}) as never);
    expect(p.appId).toBe('app_1');
  });
  it('accepts a server that does not echo the policy at all', async () => {
    await expect(provisionPersona(admin({ ok: true }), DEMO_TARGET, { name: 'terse', policy }, () => ({}) as never)).resolves.toMatchObject({ appId: 'app_1' });
    await expect(provisionPersona(admin(null), DEMO_TARGET, { name: 'quiet', policy }, () => ({}) as never)).resolves.toMatchObject({ appId: 'app_1' });
  });
  it('is a tool error when the echoed policy lacks what was sent', async () => {
    const err = await provisionPersona(admin({ ok: true, policy: { ip_allowlist: ['203.0.113.7'] } }), DEMO_TARGET, { name: 'other-shape', policy }, () => ({}) as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect(String((err as Error).message)).toMatch(/does not contain what was sent/);
  });
});
