import type { HookOverrides } from '../hooks.js';
import type { ClauseBinding } from '../../protocol/clauses.js';

/**
 * What every fault file exports: its name, the clauses of the protocol brief it breaks, one line on the
 * defect, and the defect itself: the decision points (src/runtime/hooks.ts) it overrides, ideally one.
 */
export interface FaultDef {
  readonly name: string;
  /**
   * Ids of src/protocol/clauses.ts that this defect breaks, ideally one. The requirements whose checks must
   * catch it are derived from them (faultRequirements): the fault names no requirement of its own.
   */
  readonly clauses: readonly string[];
  /**
   * The bindings the defect can be reached over, when fewer than its clauses': a defect in how HTTP requests
   * are read (a header the server should not trust) breaks a binding-neutral clause, yet no MCP client sends
   * that header. Default: every binding its clauses hold on.
   */
  readonly bindings?: readonly ClauseBinding[];
  readonly description: string;
  readonly hooks: HookOverrides;
}
