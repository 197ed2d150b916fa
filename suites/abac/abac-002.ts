import { Skip, type CheckDef } from '../../src/kit/check.js';
import { expectSuccess } from '../../src/kit/expect.js';
import { agentRoutes, send } from '../env/routes.js';
import { ipv4Octets, learnClientIp } from './client-ip.js';

export const abac002: CheckDef = {
  id: 'ABAC-002',
  safety: 'draft',
  needs: ['admin'],
  description: "An allowlist holding the client's IP (as the audit log records it, or the connection's local address when the target is on loopback), an IPv4 CIDR around it, or either after a non-matching entry, admits the client.",
  async run(ctx) {
    const learnt = await learnClientIp(ctx);
    if (learnt.ip === undefined) throw new Skip(`cannot learn the client IP the server sees: ${learnt.why}`, 'run from the server\'s host (loopback), or a server that records ip in audit events');
    const { ip } = learnt;
    ctx.note(`the server sees the client as ${ip} (${learnt.how})`);
    const lists = [[ip], ['203.0.113.7', ip]];
    const o = ipv4Octets(ip);
    if (o) {
      lists.push([`${o[0]}.${o[1]}.${o[2]}.0/24`], [`${o[0]}.0.0.0/8`], ['203.0.113.0/24', `${o[0]}.${o[1]}.0.0/16`]);
    } else {
      ctx.partial(`${ip} is not an IPv4 address: the brief's CIDR matching (IPv4 only) was not tried`);
    }
    const reads = agentRoutes(ctx.target).filter((x) => x.spec.method === 'GET' && !x.name.startsWith('GET drafts'));
    for (const allowed of lists) {
      const p = await ctx.persona({ name: `abac002 allow ${allowed.join(' ')}`, policy: { network: { allowed_ips: allowed } } });
      for (const r of reads) expectSuccess(await send(p.client, r), `${r.name} with allowed_ips [${allowed.join(', ')}] (the client is ${ip})`);
    }
  },
};
