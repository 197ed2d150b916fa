/** Rules of the MCP binding (docs/mcp-binding.md) that the runtime's front and the checks both apply. */

/** D4: a write deletes when the verb of its name's last segment is delete/hard_delete/remove/purge/destroy/erase. */
export function deletesByName(name: string): boolean {
  return /^(?:hard_)?(?:delete|remove|purge|destroy|erase)/.test(name.split('.').pop() ?? '');
}

/** D4: whether a tool of this kind and risk must be annotated destructive (high risk, or a delete). */
export function mustBeDestructive(write: boolean, risk: string, name: string): boolean {
  return write && (risk === 'high' || deletesByName(name));
}
