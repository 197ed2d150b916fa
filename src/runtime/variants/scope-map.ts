import type { ToolDescriptor } from '../../protocol/types.js';
import type { HookOverrides } from '../hooks.js';

/**
 * The brief fixes no tool → scope map: a server declares its own (VisibleTools derives from requiredScopes).
 * A scope-map variant re-declares some tools' required scopes, by tool name across both shipped domains
 * (their tool names are distinct); tools it does not name keep theirs. Only scopes the domain already knows
 * are used, so apps can still be granted them.
 */
export function rescoped(map: Readonly<Record<string, readonly string[]>>): HookOverrides {
  return {
    toolMap: (next) => (tools) => next(tools).map((t): ToolDescriptor => (map[t.name] ? { ...t, requiredScopes: [...map[t.name]!] } : t)),
  };
}
