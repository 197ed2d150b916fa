import type { HookOverrides } from './hooks.js';

/** The faults or variants one runtime runs with: their names as asked for, and their hook overrides. */
export interface Selection {
  readonly names: readonly string[];
  /** In registry order, so the composed hook table does not depend on the order of the request. */
  readonly hooks: readonly HookOverrides[];
}

/** No fault or variant: what a runtime runs with unless given a selection. */
export const NOTHING_SELECTED: Selection = { names: [], hooks: [] };

/**
 * The selections for fault and variant names, loading a registry (some 300 modules for the faults) only
 * when a name of it is asked for: a clean runtime never pays for them. Unknown names throw, faults first.
 */
export async function loadSelections(faults: readonly string[], variants: readonly string[]): Promise<{ faults?: Selection; variants?: Selection }> {
  return {
    ...(faults.length > 0 ? { faults: (await import('./faults/index.js')).selectFaults(faults) } : {}),
    ...(variants.length > 0 ? { variants: (await import('./variants/index.js')).selectVariants(variants) } : {}),
  };
}

/** Picks `names` from a registry; an unknown name throws, listing the valid ones. */
export function selectByName(
  kind: 'fault' | 'variant',
  defs: readonly { readonly name: string; readonly hooks: HookOverrides }[],
  names: readonly string[],
): Selection {
  const valid = new Set<string>(defs.map((d) => d.name));
  const unknown = names.filter((n) => !valid.has(n));
  if (unknown.length > 0) {
    throw new Error(`unknown ${kind} ${unknown.join(', ')}; valid ${kind}s: ${[...valid].join(', ')}`);
  }
  const wanted = new Set(names);
  return { names: [...wanted], hooks: defs.filter((d) => wanted.has(d.name)).map((d) => d.hooks) };
}
