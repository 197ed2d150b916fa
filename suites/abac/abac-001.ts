import { ToolError, type CheckDef } from '../../src/kit/check.js';
import { expectError, expectSuccess } from '../../src/kit/expect.js';
import { existingDraft, rejectPending, secondKey } from '../lib-write.js';
import { agentRoutes, send } from '../env/routes.js';
import { ipv4Octets, learnClientIp } from './client-ip.js';

export const abac001: CheckDef = {
  id: 'ABAC-001',
  safety: 'draft',
  needs: ['admin'],
  description: 'Allowlists that miss the client — 203.0.113.7, two documentation CIDRs, and CIDRs just beside the client IP — get 403 agent.policy_denied on every agent route, the poll of an existing draft of the app included (drafted before the allowlist was set).',
  expectedCodes: ['agent.policy_denied'],
  async run(ctx) {
    // Documentation ranges (RFC 5737) are never the client. The CIDR list catches a matcher that admits
    // anyone once an entry has a prefix length.
    const lists = [['203.0.113.7'], ['203.0.113.0/24', '198.51.100.0/24']];
    // Near misses catch prefix arithmetic that is off by a bit or an octet.
    // Best effort: this requirement does not depend on the audit log, so an unreadable one only drops them.
    const learnt = await learnClientIp(ctx).catch((e: unknown) => (e instanceof ToolError ? undefined : Promise.reject(e)));
    const o = ipv4Octets(learnt?.ip ?? '');
    if (o) lists.push([`${o[0]}.${o[1]}.${o[2] ^ 1}.0/24`, `${o[0]}.${o[1]}.${o[2]}.${(o[3] ^ 2) & 0xfe}/31`]);
    else ctx.partial(`the client IP the server sees is not a known IPv4 address (${learnt?.ip ?? (learnt && 'why' in learnt ? learnt.why : 'unknown')}): the near-miss CIDRs were not tried`);
    for (const allowed of lists) {
      const p = await ctx.persona({ name: `abac001 allow ${allowed.join(' ')}`, policy: { network: { allowed_ips: allowed } } });
      for (const r of agentRoutes(ctx.target)) expectError(await send(p.client, r), 'agent.policy_denied', `${r.name} with allowed_ips [${allowed.join(', ')}] (the client is outside)`);
    }
    // The poll of a draft the app owns, not only of an id never issued: drafted before the allowlist is set, then
    // polled under each list. Step (6) comes before any handler, so it is 403 policy_denied as for every route. Each
    // poll is by a key of the app issued after that list was set, so a server that keeps a key's policy from its
    // first use (the brief says when only revocation takes effect) is not blamed.
    const owner = await ctx.persona({ name: 'abac001 draft owner' });
    const drafted = await existingDraft(ctx, owner, 'the poll of an existing draft of the app from outside the allowlist');
    if (drafted === undefined) return;
    try {
      for (const allowed of lists) {
        expectSuccess(await ctx.admin.setPolicy(owner.appId, { network: { allowed_ips: allowed } }), `set-up: PATCH /apps/${owner.appId}/policy with allowed_ips [${allowed.join(', ')}]`);
        const { client } = await secondKey(ctx, owner, 'abac001 poll key');
        expectError(await client.draft(drafted), 'agent.policy_denied', `GET drafts/{id} of an existing draft of its app (${drafted}) by a key issued after allowed_ips [${allowed.join(', ')}] was set (the client is outside)`);
      }
    } finally {
      // The draft is rejected through the admin plane, which the allowlist does not bind.
      await rejectPending(ctx, owner.appId);
    }
  },
};
