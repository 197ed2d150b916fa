import type { CheckDef, RequestSpec } from '../../src/kit/check.js';
import { expectError, expectSuccess } from '../../src/kit/expect.js';
import { AGENT_BASE } from '../../src/protocol/types.js';
import { readPath } from '../../src/kit/clients.js';
import { samplePayloadOf } from '../../src/kit/helpers.js';

export const authn007: CheckDef = {
  id: 'AUTHN-007',
  safety: 'read-only',
  needs: ['token'],
  bindings: ['http'],
  description: 'The real token in the query string, a body field, x-api-key and similar headers or a cookie (no Authorization header) is 401 token_invalid.',
  expectedCodes: ['agent.token_invalid'],
  async run(ctx) {
    const token = ctx.agent.token!;
    // Without this control a dead run token would make every probe below pass.
    expectSuccess(await ctx.agent.manifest(), 'positive control: GET manifest with the token as a Bearer header');
    const t = encodeURIComponent(token);
    // A read that takes arguments, so the token can ride along as one more query parameter.
    const read = ctx.target.reads.find((r) => r.query && Object.keys(r.query).length) ?? ctx.target.reads[0];
    const readRoute = readPath(ctx.target.reads, read.tool);
    const sep = readRoute.includes('?') ? '&' : '?';
    const probes: [string, RequestSpec][] = [];
    for (const param of ['access_token', 'token', 'api_key']) {
      probes.push([`query ?${param}=`, { method: 'GET', path: `${AGENT_BASE}/manifest?${param}=${t}` }]);
      probes.push([`query &${param}=`, { method: 'GET', path: `${readRoute}${sep}${param}=${t}` }]);
    }
    const headers: [string, Record<string, string>][] = [
      ['header x-api-key', { 'x-api-key': token }],
      ['header x-agent-token', { 'x-agent-token': token }],
      ['header x-auth-token', { 'x-auth-token': token }],
      ['header x-access-token', { 'x-access-token': token }],
      ['header proxy-authorization', { 'proxy-authorization': `Bearer ${token}` }],
      ['cookie token=', { cookie: `token=${token}` }],
    ];
    for (const [label, h] of headers) {
      probes.push([label, { method: 'GET', path: `${AGENT_BASE}/manifest`, headers: h }]);
      probes.push([label, { method: 'GET', path: readRoute, headers: h }]);
    }
    const { action } = ctx.target.writes.create;
    const payload = samplePayloadOf(ctx.target, ctx.target.writes.create.payload);
    for (const field of ['access_token', 'token']) {
      probes.push([`body field ${field}`, { method: 'POST', path: `${AGENT_BASE}/preflight`, body: { action, payload, [field]: token } }]);
    }
    const anon = ctx.client();
    for (const [label, spec] of probes) {
      expectError(await anon.request(spec), 'agent.token_invalid', `${spec.method} ${spec.path.split('?')[0]} with the token in ${label}`);
    }
  },
};
