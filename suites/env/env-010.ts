import type { CheckDef } from '../../src/kit/check.js';
import { openApiJudge } from '../../src/kit/openapi.js';
import { openApiDocument, readTools } from '../../src/protocol/openapi.js';
import { exchangesToJudge, judgeAll } from './battery.js';

export const env010: CheckDef = {
  id: 'ENV-010',
  safety: 'read-only',
  needs: [],
  bindings: ['http'],
  phase: 'final',
  description: 'Every response of the run agrees with the OpenAPI description given with --openapi (the route\'s documented status and JSON schema); without one, every envelope agrees with the binding\'s own description.',
  async run(ctx) {
    const given = ctx.openapi !== undefined;
    const judge = openApiJudge(ctx.openapi ?? openApiDocument({ tools: readTools(ctx.target.reads), version: 'run' }));
    const all = await exchangesToJudge(ctx);
    // Read back from the journal, bulk traffic (bursts, fuzz cases, read-back pages) has only a sample of its
    // success bodies: their status is judged, their shape cannot be.
    let sampled = 0;
    await judgeAll(ctx, all, {
      what: `contradict the ${given ? 'OpenAPI description given with --openapi' : 'binding\'s OpenAPI description'}`,
      expected: 'the documented status and schema of the route',
      judge: (ex) => {
        // Without a vendor's document only envelopes are judged: a body that is not one is ENV-002's finding.
        if (ex.response.elided) sampled++;
        const j = ex.response.json as { ok?: unknown } | undefined;
        if (!given && (j === null || typeof j !== 'object' || typeof j.ok !== 'boolean')) return undefined;
        const p = judge(ex);
        return p && `${p.problem} (JSON pointer ${p.pointer || '""'})`;
      },
    });
    if (sampled > 0) ctx.partial(`${sampled} success bodies of bulk traffic were read back from the journal as a sample: their status was judged, not their shape (a run whose exchanges all fit in memory judges them whole)`);
  },
};
