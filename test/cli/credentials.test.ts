/**
 * The operator's mistakes are not blamed on the server: a --token the agent plane refuses ends the run
 * before any check (exit 3), in one line that names the credential by its prefix and says why. Before, an
 * expired key against `serve` gave 6 failures and NOT CONFORMANT (exit 1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, startServe, type Served } from '../support/cli.js';
import { ADMIN_BASE } from '../../src/protocol/types.js';

let served: Served;
let out: string;
let expired: string;
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'openport-credentials-'));
  served = await startServe();
  const res = await fetch(`${served.url}${ADMIN_BASE}/apps/${served.appId}/keys`, {
    method: 'POST',
    headers: { ...served.adminHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'expired', expiresAt: '2001-01-01T00:00:00.000Z' }),
  });
  expired = ((await res.json()) as { data: { token: string } }).data.token;
});
afterAll(async () => {
  await served.stop();
  rmSync(out, { recursive: true, force: true });
});

describe('--token is validated before the run', () => {
  it('an expired key: exit 3, one line naming the expired token by its prefix only', async () => {
    const res = await cli(['run', served.url, '--token', expired, '--out', out]);
    expect(res.code).toBe(3);
    const line = res.stderr.trim().split('\n').filter((l) => l.includes('--token'));
    expect(line).toHaveLength(1);
    expect(line[0]).toContain(`--token ${expired.slice(0, 8)}…`);
    expect(line[0]).toMatch(/401 agent\.token_expired \(the key has expired\)/);
    expect(res.stdout + res.stderr).not.toContain(expired);
  });

  it('an unknown (mistyped) key: exit 3, naming why', async () => {
    const typo = `${served.agentToken.slice(0, -3)}xyz`;
    const res = await cli(['run', served.url, '--token', typo, '--out', out]);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/--token op_\S{1,5}…: GET \/api\/agent\/v1\/manifest answered HTTP 401 agent\.token_invalid \(unknown to the server/);
    expect(res.stdout + res.stderr).not.toContain(typo);
  });

  it('a live key passes the probe (the run goes on to its checks)', async () => {
    const res = await cli(['run', served.url, '--token', served.agentToken, '--only', 'DISC-004', '--out', out]);
    expect(res.code).toBe(0);
  });
});
