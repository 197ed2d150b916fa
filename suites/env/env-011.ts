import type { CheckDef } from '../../src/kit/check.js';
import { exchangesToJudge, judgeAll } from './battery.js';

export const env011: CheckDef = {
  id: 'ENV-011',
  safety: 'read-only',
  needs: [],
  bindings: ['http'],
  phase: 'final',
  description: 'No response of the run (plus an edge-request battery) is content-coded in a coding its request did not accept: the tool asks for none, so a Content-Encoding is named.',
  async run(ctx) {
    await judgeAll(ctx, await exchangesToJudge(ctx), 'ENV-011');
  },
};
