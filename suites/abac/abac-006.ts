import { Finding, Skip, type CheckDef } from '../../src/kit/check.js';
import { describe, isRefusal, observedAt } from '../../src/kit/expect.js';
import { AGENT_BASE } from '../../src/protocol/types.js';

/**
 * An allowlisted documentation address (RFC 5737) the client is not, and every header a client can use to
 * claim it. No knowledge of the real client IP is needed: the control request without a spoofed header must
 * already be denied, and no header may change that.
 */
const ALLOWED = '203.0.113.7';
const SPOOFS: readonly Record<string, string>[] = [
  { 'x-forwarded-for': ALLOWED },
  { 'x-forwarded-for': `${ALLOWED}, 198.51.100.9` },
  { 'x-forwarded-for': `198.51.100.9, ${ALLOWED}` },
  { 'x-real-ip': ALLOWED },
  { forwarded: `for=${ALLOWED}` },
  { 'x-client-ip': ALLOWED },
  { 'true-client-ip': ALLOWED },
];

export const abac006: CheckDef = {
  id: 'ABAC-006',
  safety: 'draft',
  needs: ['admin'],
  bindings: ['http'],
  description: `With allowed_ips [${ALLOWED}] (not the client), GET manifest is denied; then the same request claiming ${ALLOWED} through X-Forwarded-For (first and last hop), X-Real-IP, Forwarded, X-Client-IP and True-Client-IP must stay denied.`,
  expectedCodes: ['agent.policy_denied'],
  async run(ctx) {
    const p = await ctx.persona({ name: 'abac006 spoof', policy: { network: { allowed_ips: [ALLOWED] } } });
    const manifest = { method: 'GET', path: `${AGENT_BASE}/manifest` };
    const control = await p.client.request(manifest);
    if (!isRefusal(control)) throw new Skip(`the allowlist [${ALLOWED}] does not deny the client even without a spoofed header (${describe(control)}; see ABAC-001)`);
    for (const headers of SPOOFS) {
      const ex = await p.client.request({ ...manifest, headers });
      if (!isRefusal(ex)) {
        const [name, value] = Object.entries(headers)[0];
        // It rests on two exchanges: the admitted one, and the denied control it should have matched.
        throw new Finding({
          message: `a client-supplied ${name} header turned an IP-allowlist denial into an allow`,
          expected: observedAt(control, `a refusal, as without the header (${describe(control)})`),
          actual: observedAt(ex, `${describe(ex)} with ${name}: ${value}`),
          exchanges: [ex, control],
        });
      }
    }
    ctx.note(`${SPOOFS.length} spoofed client-address headers, all denied`);
  },
};
