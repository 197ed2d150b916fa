import type { CheckDef } from '../../src/kit/check.js';
import { validateAgainst } from '../../src/protocol/schemas.js';
import { exchangesToJudge, judgeAll } from './battery.js';

export const env002: CheckDef = {
  id: 'ENV-002',
  safety: 'read-only',
  needs: [],
  bindings: ['http'],
  phase: 'final',
  description: 'Every response of the run (plus an edge-request battery) validates against the envelope schema.',
  async run(ctx) {
    const all = await exchangesToJudge(ctx);
    await judgeAll(ctx, all, (ex) => {
      const f = ex.response.framing;
      if (f) return `not valid HTTP: broken framing (${f.reason})${f.firstLine !== undefined ? `; first line: "${f.firstLine}"` : ''}`;
      if (ex.response.json === undefined) return 'body is not JSON';
      const problems = validateAgainst('envelope', ex.response.json);
      return problems.length ? `not an envelope: ${problems.slice(0, 3).join('; ')}` : undefined;
    }, 'are not well-formed envelopes', '{ok:true, code:"common.success", data} or {ok:false, code, message}');
  },
};
