import type { HookOverrides } from '../hooks.js';

/**
 * What every variant file exports. A variant is a choice the protocol allows and the reference runtime makes
 * differently; `allowedBy` quotes the brief sentence or names the recorded fixture that makes it legitimate,
 * and `hooks` makes the choice: the decision points (src/runtime/hooks.ts) it overrides, ideally one.
 */
export interface VariantDef {
  readonly name: string;
  readonly description: string;
  readonly allowedBy: string;
  readonly hooks: HookOverrides;
  /** SHOULD requirements this choice legitimately trips: the suite reports them as warnings, never failures. */
  readonly givesUp?: readonly string[];
}
