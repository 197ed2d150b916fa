import { Skip, type CheckDef } from '../../src/engine/check.js';
import { expectSuccess } from '../../src/engine/expect.js';
import { agentRoutes, send } from '../env/routes.js';

export const abac002: CheckDef = {
  id: 'ABAC-002',
  safety: 'draft',
  needs: ['admin'],
  description: "An allowlist holding the client's IP (as the audit log records it), or an IPv4 CIDR around it, admits the client.",
  async run(ctx) {
    const probe = await ctx.persona({ name: 'abac002 probe' });
    expectSuccess(await probe.client.manifest(), 'GET manifest (to learn the client IP from its audit event)');
    const ip = (await ctx.admin.audit(probe.appId)).filter((e) => e.key_id === probe.keyId).map((e) => e.ip).find((x): x is string => typeof x === 'string' && x.length > 0);
    if (!ip) throw new Skip('cannot learn the client IP the server sees: no audit event of the probe app carries an ip', 'a server that records ip in audit events');
    ctx.note(`the server sees the client as ${ip}`);
    const entries = [ip];
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
      const o = ip.split('.');
      entries.push(`${o[0]}.${o[1]}.${o[2]}.0/24`, `${o[0]}.0.0.0/8`);
    }
    for (const entry of entries) {
      const p = await ctx.persona({ name: `abac002 allow ${entry}`, policy: { network: { allowed_ips: [entry] } } });
      for (const r of agentRoutes(ctx.target).filter((x) => x.spec.method === 'GET' && !x.name.startsWith('GET drafts'))) {
        expectSuccess(await send(p.client, r), `${r.name} with allowed_ips [${entry}]`);
      }
    }
  },
};
