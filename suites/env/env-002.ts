import type { CheckDef } from '../../src/kit/check.js';
import { exchangesToJudge, judgeAll } from './battery.js';

export const env002: CheckDef = {
  id: 'ENV-002',
  safety: 'read-only',
  needs: [],
  bindings: ['http'],
  phase: 'final',
  description: 'Every response of the run (plus an edge-request battery) validates against the envelope schema.',
  async run(ctx) {
    await judgeAll(ctx, await exchangesToJudge(ctx), 'ENV-002');
  },
};
