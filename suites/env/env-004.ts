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
    await judgeAll(ctx, await exchangesToJudge(ctx), 'ENV-004');
  },
};
