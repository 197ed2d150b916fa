import type { CheckDef } from '../../src/kit/check.js';
import { isReasonCode, statusesFor } from '../../src/protocol/codes.js';
import { ADMIN_BASE, wrongMethodOnKnownRoute } from '../../src/protocol/types.js';
import { exchangesToJudge, judgeAll } from './battery.js';

export const env003: CheckDef = {
  id: 'ENV-003',
  safety: 'read-only',
  needs: [],
  bindings: ['http'],
  phase: 'final',
  description: "Every error response's HTTP status is one the registry allows for its reason code; successes are 200.",
  async run(ctx) {
    const all = await exchangesToJudge(ctx);
    const unexpected = new Set<string>();
    await judgeAll(ctx, all, (ex) => {
      const j = ex.response.json as { ok?: unknown; code?: unknown } | undefined;
      // Malformed envelopes are ENV-002's finding; only a readable ok/code can be judged here.
      if (!j || typeof j !== 'object' || typeof j.code !== 'string') return undefined;
      const status = ex.response.status;
      if (j.ok === true) {
        // The binding fixes 200 for agent-plane successes; an admin plane answering a create with 201 breaks nothing.
        const adminCreated = status > 200 && status < 300 && ex.request.path.startsWith(`${ADMIN_BASE}/`);
        return status === 200 || adminCreated ? undefined : `success envelope with HTTP ${status}`;
      }
      if (!isReasonCode(j.code)) {
        unexpected.add(j.code);
        return undefined;
      }
      const allowed = statusesFor(j.code, { wrongMethod: wrongMethodOnKnownRoute(ex.request.method, ex.request.path, ctx.target.reads.map((r) => r.path)) });
      return allowed.includes(status) ? undefined : `${j.code} with HTTP ${status}, registry says ${allowed.join('|') || 'not an HTTP error'}`;
    }, 'carry an HTTP status that disagrees with their reason code', 'HTTP status = registry status of the code (success: 200)');
    if (unexpected.size) ctx.note(`unexpected code(s) not in the registry: ${[...unexpected].join(', ')}`);
  },
};
