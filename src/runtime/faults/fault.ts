import type { HookOverrides } from '../hooks.js';

/**
 * What every fault file exports: its name, the requirement id it breaks, one line on the defect, and the
 * defect itself: the decision points (src/runtime/hooks.ts) it overrides, ideally one.
 */
export interface FaultDef {
  readonly name: string;
  readonly breaks: string;
  readonly description: string;
  readonly hooks: HookOverrides;
}
