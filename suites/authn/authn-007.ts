import type { CheckDef } from '../../src/engine/check.js';
import { expectError } from '../../src/engine/expect.js';
import { AGENT_BASE } from '../../src/protocol/types.js';

export const authn007: CheckDef = {
  id: 'AUTHN-007',
  safety: 'read-only',
  needs: ['token'],
  description: 'The real token in the query string, x-api-key, x-agent-token or a cookie (no Authorization header) is 401 token_invalid.',
  expectedCodes: ['agent.token_invalid'],
  async run(ctx) {
    const token = ctx.agent.token!;
    const t = encodeURIComponent(token);
    const anon = ctx.client();
    const { queryParam, primary } = ctx.target.containers;
    const txn = `${AGENT_BASE}/transactions?${encodeURIComponent(queryParam)}=${encodeURIComponent(primary)}`;
    const probes: [string, string, Record<string, string>][] = [];
    for (const param of ['access_token', 'token', 'api_key']) {
      probes.push([`?${param}=`, `${AGENT_BASE}/manifest?${param}=${t}`, {}]);
      probes.push([`&${param}=`, `${txn}&${param}=${t}`, {}]);
    }
    for (const [label, headers] of [
      ['x-api-key', { 'x-api-key': token }],
      ['x-agent-token', { 'x-agent-token': token }],
      ['cookie token=', { cookie: `token=${token}` }],
    ] as const) {
      probes.push([label, `${AGENT_BASE}/manifest`, headers]);
      probes.push([label, txn, headers]);
    }
    for (const [label, path, headers] of probes) {
      expectError(await anon.request({ method: 'GET', path, headers }), 'agent.token_invalid', `GET ${path.split('?')[0]} with the token in ${label}`);
    }
  },
};
