import type { CheckDef } from '../../src/kit/check.js';
import { fuzzLifecycleModel } from '../../fuzz/model.js';

export const fuzz005: CheckDef = {
  id: 'FUZZ-005',
  safety: 'execute',
  needs: ['admin'],
  description: 'Generated command sequences (writes, auto-execute, replays, concurrent bursts, approve, reject, key revocation, drift) against a small model of the lifecycle guarantees and the audit trail.',
  expectedCodes: ['agent.idempotency_replay', 'agent.precondition_failed', 'agent.draft_already_final', 'agent.token_invalid'],
  async run(ctx) {
    await fuzzLifecycleModel(ctx);
  },
};
