import { ToolError, type CheckContext, type CheckDef } from '../../src/kit/check.js';
import { keyFrom } from '../env/routes.js';
import { expectSuccess, fail, findLeaks } from '../../src/kit/expect.js';
import { itemsOf } from '../../src/kit/clients.js';
import { auditFor, rejectPending, samplePayloadOf } from '../../src/kit/helpers.js';
import { writeSamples } from '../../src/kit/target.js';
import { expectSensitiveRedacted, sensitiveDrafts, sensitiveValues } from './trail.js';
import { ADMIN_BASE } from '../../src/protocol/types.js';
import type { AuditEvent } from '../../src/protocol/types.js';

/**
 * Drafts and preflights every write sample of the target, each through a persona of its own (so no key meets
 * a rate limit), with a recognisable value in each of the target's sensitive fields the tool accepts (a field
 * its validator refuses is left out). Returns field → value of those any sample wrote, and the personas' apps.
 */
async function sensitiveWrites(ctx: CheckContext): Promise<{ values: Record<string, string>; apps: string[] }> {
  const all = ctx.target.sensitiveFields;
  const values = sensitiveValues(ctx, all);
  const written = new Set<string>();
  const apps: string[] = [];
  try {
    for (const sample of writeSamples(ctx.target)) {
      const p = await ctx.persona({ name: `audit004 ${sample.action}` });
      apps.push(p.appId);
      const drafts = await sensitiveDrafts(p, sample.action, samplePayloadOf(ctx.target, sample.payload), values);
      for (const d of drafts) await p.client.preflight(sample.action, d.body);
      const accepted = all.filter((f) => drafts.some((d) => d.fields.includes(f)));
      if (accepted.length < all.length) ctx.note(`${sample.action} took no ${all.filter((f) => !accepted.includes(f)).join(', ')}: not written`);
      for (const f of accepted) written.add(f);
    }
    return { values: Object.fromEntries([...written].map((f) => [f, values[f]!])), apps };
  } finally {
    await rejectPending(ctx, ...apps);
  }
}

/** Characters of a token's end searched for on their own. */
const TOKEN_TAIL = 24;

export const audit004: CheckDef = {
  id: 'AUDIT-004',
  safety: 'draft',
  needs: ['admin'],
  phase: 'final',
  description: "No audit event (the whole listing, and a fresh persona's own trail, including a revoked key's refused request) contains a full agent token or any token the run holds (or its last 24 characters, its secret part without a prefix), nor a sensitive field's value written in a draft or preflight of any write sample of the target (each sample by a persona of its own).",
  async run(ctx) {
    // Fresh traffic of each kind, so even a run of only this check has token-bearing requests to audit.
    const p = await ctx.persona({ name: 'audit004 traffic' });
    expectSuccess(await p.client.manifest(), 'GET manifest');
    await p.client.actions({ action: ctx.target.writes.create.action });
    await p.client.draft('drf_conform_missing');
    // A refused token is the one a server is most tempted to log verbatim ("who was that?").
    const second = keyFrom(await ctx.admin.createKey(p.appId, { name: 'conform revoked' }));
    if (!second) throw new ToolError('admin plane did not return the key and token of POST /apps/{id}/keys');
    await ctx.admin.revokeKey(second.keyId);
    await ctx.client(second.token).manifest();
    const { values: sensitive, apps: writers } = await sensitiveWrites(ctx);
    if (Object.keys(sensitive).length === 0) ctx.partial(`no write sample took a sensitive field (${ctx.target.sensitiveFields.join(', ')}): their redaction in audit events was not tried`);

    const listing = await ctx.admin.request({ method: 'GET', path: `${ADMIN_BASE}/audit?limit=1000` });
    const events = [...((itemsOf(listing) ?? []) as AuditEvent[]), ...(await auditFor(ctx, p.appId))];
    if (!itemsOf(listing)) ctx.partial('GET /audit?limit=1000 returned no listing; only the persona trail was scanned');

    // Admin header values (e.g. an operator id) legitimately appear in audit events; they are not agent tokens.
    const adminValues = new Set<string>();
    for (const ex of ctx.observed()) {
      if (!ex.request.path.startsWith(`${ADMIN_BASE}/`)) continue;
      for (const [k, v] of Object.entries(ex.request.headers)) if (k !== 'content-type' && k !== 'user-agent') adminValues.add(v);
    }
    const tokens = ctx.secrets().filter((s) => !adminValues.has(s));
    // A token's secret part alone (its end: a token_prefix shows only its start) rebuilds it with its prefix, so
    // the last TOKEN_TAIL characters of every token with a start of its own are searched for too.
    const secrets = [...tokens, ...tokens.filter((s) => s.length >= TOKEN_TAIL + 8).map((s) => s.slice(-TOKEN_TAIL))];

    const leaking = events.flatMap((e) => {
      const leaks = findLeaks(JSON.stringify(e), secrets).filter((l) => l.startsWith('token') || l.startsWith('secret'));
      return leaks.length ? [`${e.id} (${e.action}): ${leaks.join('; ')}`] : [];
    });
    ctx.note(`${events.length} audit events scanned for ${tokens.length} known tokens and their ends`);
    if (leaking.length) fail(`${leaking.length} audit event(s) contain an agent token`, 'no token in any audit event (a short token_prefix is fine)', leaking.slice(0, 5).join(' | '));

    // "sensitive payload fields are redacted" (§10): no event of the persona carries a sensitive value it wrote.
    await expectSensitiveRedacted(ctx, await Promise.all(writers.map((id) => auditFor(ctx, id))), sensitive, 'audit004', 'drafts and preflights');
  },
};
