import { ToolError, type CheckDef, type Exchange } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { samplePayloadOf } from '../../src/kit/helpers.js';
import { expectError, expectSuccess } from '../../src/kit/expect.js';
import { existingDraft, idemKey, rejectPending, secondKey } from '../lib-write.js';
import { agentRoutes, send } from '../env/routes.js';
import { ipv4Octets, learnClientIp } from './client-ip.js';

/** A preflight id no server issued. */
const MISSING_PREFLIGHT = 'pfl_conform_missing';

/** The /n network beside the client's: its first n bits, the last of them flipped (it never holds the client). */
function besideCidr(o: number[], n: number): string {
  const ip = ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
  const flipped = (ip ^ (1 << (32 - n))) >>> 0;
  const net = n === 32 ? flipped : (flipped & ~((1 << (32 - n)) - 1)) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (net >>> s) & 255).join('.')}/${n}`;
}

/** The id of a preflight reply, when it is one. */
function preflightIdOf(ex: Exchange): string | undefined {
  const id = (dataOf(ex) as { preflightId?: unknown } | undefined)?.preflightId;
  return typeof id === 'string' ? id : undefined;
}

export const abac001: CheckDef = {
  id: 'ABAC-001',
  safety: 'draft',
  needs: ['admin'],
  description: 'Allowlists that miss the client — 203.0.113.7, two documentation CIDRs, and the networks just beside the client IP at prefix lengths /1, /8, /12, /16, /20, /24, /28, /30, /31 and /32 — get 403 agent.policy_denied on every agent route and on POST actions naming a preflightId, with forceDraft: true and with execute: true, the poll of an existing draft of the app and POST actions naming a preflight of the app included (both made before the allowlist was set).',
  expectedCodes: ['agent.policy_denied'],
  async run(ctx) {
    // Documentation ranges (RFC 5737) are never the client. The CIDR list catches a matcher that admits
    // anyone once an entry has a prefix length.
    const lists = [['203.0.113.7'], ['203.0.113.0/24', '198.51.100.0/24']];
    const { action } = ctx.target.writes.create;
    const payload = samplePayloadOf(ctx.target, ctx.target.writes.create.payload);
    const actionShapes: [string, Record<string, unknown>][] = [
      [`${action} naming a preflightId`, { action, preflightId: MISSING_PREFLIGHT }],
      [`${action} with forceDraft: true`, { action, payload, forceDraft: true }],
      [`${action} with execute: true`, { action, payload, execute: true, idempotencyKey: idemKey(ctx) }],
    ];
    // Near misses catch prefix arithmetic that is off by a bit or an octet.
    // Best effort: this requirement does not depend on the audit log, so an unreadable one only drops them.
    const learnt = await learnClientIp(ctx).catch((e: unknown) => (e instanceof ToolError ? undefined : Promise.reject(e)));
    const o = ipv4Octets(learnt?.ip ?? '');
    if (o) {
      lists.push([`${o[0]}.${o[1]}.${o[2] ^ 1}.0/24`, `${o[0]}.${o[1]}.${o[2]}.${(o[3] ^ 2) & 0xfe}/31`]);
      // The network just beside the client at every prefix length, one list per length (a matcher may mishandle
      // short prefixes only, or long ones): none of them holds the client. /0 is left out: it holds everyone.
      for (const group of [[1, 8], [12, 16], [20, 28], [30, 32]]) lists.push(group.map((n) => besideCidr(o, n)));
    }
    else ctx.partial(`the client IP the server sees is not a known IPv4 address (${learnt?.ip ?? (learnt && 'why' in learnt ? learnt.why : 'unknown')}): the near-miss CIDRs were not tried`);
    for (const allowed of lists) {
      const p = await ctx.persona({ name: `abac001 allow ${allowed.join(' ')}`, policy: { network: { allowed_ips: allowed } } });
      for (const r of agentRoutes(ctx.target)) expectError(await send(p.client, r), 'agent.policy_denied', `${r.name} with allowed_ips [${allowed.join(', ')}] (the client is outside)`);
      // Step (6) comes before any handler, so every shape of a write request is refused alike: one naming a
      // preflightId instead of a payload, forcing a draft, asking to execute, carrying an idempotency key.
      for (const [shape, body] of actionShapes) expectError(await p.client.actions(body), 'agent.policy_denied', `POST actions ${shape} with allowed_ips [${allowed.join(', ')}] (the client is outside)`);
    }
    // The poll of a draft the app owns, not only of an id never issued: drafted before the allowlist is set, then
    // polled under each list. Step (6) comes before any handler, so it is 403 policy_denied as for every route. Each
    // poll is by a key of the app issued after that list was set, so a server that keeps a key's policy from its
    // first use (the brief says when only revocation takes effect) is not blamed.
    const owner = await ctx.persona({ name: 'abac001 draft owner' });
    const drafted = await existingDraft(ctx, owner, 'the poll of an existing draft of the app from outside the allowlist');
    if (drafted === undefined) return;
    // And a preflight of the app made before the allowlist is set: POST actions naming it is refused as any request.
    const preflightId = preflightIdOf(await owner.client.preflight(action, payload));
    try {
      for (const allowed of lists) {
        expectSuccess(await ctx.admin.setPolicy(owner.appId, { network: { allowed_ips: allowed } }), `set-up: PATCH /apps/${owner.appId}/policy with allowed_ips [${allowed.join(', ')}]`);
        const { client } = await secondKey(ctx, owner, 'abac001 poll key');
        expectError(await client.draft(drafted), 'agent.policy_denied', `GET drafts/{id} of an existing draft of its app (${drafted}) by a key issued after allowed_ips [${allowed.join(', ')}] was set (the client is outside)`);
        if (preflightId !== undefined) expectError(await client.actions({ action, preflightId }), 'agent.policy_denied', `POST actions naming a preflight of its app made before allowed_ips [${allowed.join(', ')}] was set (${preflightId}; the client is outside)`);
      }
    } finally {
      // The draft is rejected through the admin plane, which the allowlist does not bind.
      await rejectPending(ctx, owner.appId);
    }
  },
};
