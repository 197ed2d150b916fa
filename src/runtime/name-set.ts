import type { HookOverrides } from './hooks.js';

/** The faults or variants one runtime runs with: their names as asked for, and their hook overrides. */
export interface Selection {
  readonly names: readonly string[];
  /** In registry order, so the composed hook table does not depend on the order of the request. */
  readonly hooks: readonly HookOverrides[];
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
