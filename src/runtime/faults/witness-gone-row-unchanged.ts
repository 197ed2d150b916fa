import type { Draft } from '../../protocol/types.js';
import type { FaultDef } from './fault.js';

/** The draft under approval, per runtime: noted when the approval decides on the witness, used up by the next witness computed. */
const approving = new WeakMap<object, Draft>();

export const fault = {
  name: 'witness-gone-row-unchanged',
  clauses: ['WITNESS.fail-closed.approval.refused-409', 'WITNESS.fail-closed.approval.no-execution'],
  description:
    'At approval, the witness of a resource that no longer exists (exists:false) counts as unchanged: the draft runs, and records a failed execution, ' +
    'instead of failing closed with 409 precondition_failed.',
  hooks: {
    revalidatesWitness: (next, env) => (at, tool, draft) => {
      if (at === 'approve' && draft) approving.set(env.store, draft);
      else approving.delete(env.store);
      return next(at, tool, draft);
    },
    witnessHash: (next, env) => (witness) => {
      const draft = approving.get(env.store);
      approving.delete(env.store);
      const gone = witness !== null && typeof witness === 'object' && (witness as { exists?: unknown }).exists === false;
      return gone && draft?.preflight_state_witness_hash ? draft.preflight_state_witness_hash : next(witness);
    },
  },
} as const satisfies FaultDef;
