/**
 * agent.not_found travels with 404 (brief section 5); 405 is accepted only as the answer to a wrong method
 * on a known route. A server answering an unknown route 405 breaks the registry, and ENV-003 says so; the
 * reference runtime's 405 for DELETE /manifest (a known route) stays accepted.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../support/suite.js';
import { createRuntime, startHttpServer } from '../../src/runtime/index.js';
import type { Runtime } from '../../src/runtime/types.js';
import { wrongMethodOnKnownRoute } from '../../src/protocol/types.js';

/** The runtime with every 404 agent.not_found answered as 405 instead. */
function unknownRoutes405(rt: Runtime): Runtime {
  return {
    ...rt,
    async handle(req) {
      const res = await rt.handle(req);
      return res.status === 404 && res.body.includes('"agent.not_found"') ? { ...res, status: 405 } : res;
    },
  };
}

async function env003(wrap: (rt: Runtime) => Runtime): Promise<{ status: string; message?: string }> {
  const rt = createRuntime();
  const server = await startHttpServer(wrap(rt));
  try {
    const report = await run({ url: server.url, adminHeaders: rt.adminHeaders, token: rt.bootstrap.agentToken, only: ['ENV-003'], seed: 1 });
    return report.results.find((r) => r.id === 'ENV-003')!;
  } finally {
    await server.close();
    await rt.close();
  }
}

describe('405 with agent.not_found', () => {
  it('is a finding on an unknown route', async () => {
    const r = await env003(unknownRoutes405);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/agent\.not_found with HTTP 405, registry says 404/);
  });

  it('is accepted for a wrong method on a known route (the reference runtime)', async () => {
    expect((await env003((rt) => rt)).status).toBe('pass');
  });

  it('tells a wrong method on a known route from an unknown route', () => {
    expect(wrongMethodOnKnownRoute('DELETE', '/api/agent/v1/manifest')).toBe(true);
    expect(wrongMethodOnKnownRoute('GET', '/api/agent/v1/actions')).toBe(true);
    expect(wrongMethodOnKnownRoute('GET', '/api/agent/v1/drafts/drf_1?x=1')).toBe(false);
    expect(wrongMethodOnKnownRoute('GET', '/api/agent/v1/conform-no-such-route')).toBe(false);
    expect(wrongMethodOnKnownRoute('POST', '/api/agent/v1/ledgers')).toBe(false);
    expect(wrongMethodOnKnownRoute('POST', '/api/agent/v1/ledgers', ['/api/agent/v1/ledgers'])).toBe(true);
  });
});
