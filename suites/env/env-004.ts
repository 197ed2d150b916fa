import type { CheckDef } from '../../src/kit/check.js';
import { exchangesToJudge, judgeAll } from './battery.js';

export const env004: CheckDef = {
  id: 'ENV-004',
  safety: 'read-only',
  needs: [],
  bindings: ['http'],
  phase: 'final',
  description: 'Every response of the run (plus an edge-request battery) carries Content-Type application/json.',
  async run(ctx) {
    const all = await exchangesToJudge(ctx);
    await judgeAll(ctx, all, (ex) => {
      // An answer that is not valid HTTP has no headers to judge; ENV-002 reports it.
      if (ex.response.framing) return undefined;
      const ct = ex.response.headers['content-type'];
      return ct !== undefined && /^application\/json\b/i.test(ct.trim()) ? undefined : `Content-Type: ${ct ?? '(none)'}`;
    }, 'are not served as application/json', 'Content-Type: application/json');
  },
};
