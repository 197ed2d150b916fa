import type { ToolDescriptor } from '../../protocol/types.js';
import type { VariantDef } from './variant.js';

/** `<noun>.write` of a tool `<noun>[s].<verb>`: the scope the create of both shipped domains needs. */
function writeScope(tool: ToolDescriptor): string[] {
  return [`${tool.name.split('.')[0]!.replace(/s$/, '')}.write`];
}

const remap = (tool: ToolDescriptor): ToolDescriptor => (tool.risk === 'high' ? { ...tool, requiredScopes: writeScope(tool) } : tool);

export const variant: VariantDef = {
  name: 'high-risk-on-create-scope',
  description: 'Every high-risk tool needs only the write scope of its resource (`transaction.write`, `ticket.write`), the scope the create needs: a key that may create also sees and may draft every high-risk write. Manifest, admin tool listing and enforcement agree.',
  allowedBy: 'Brief section 6: VisibleTools(key) = { t | requiredScopes(t) ⊆ scopes(app) ∧ PolicyAllows(app, t) }: which scopes a tool requires is the server\'s to declare; risk gates the write lifecycle (section 7), not the scope map.',
  hooks: {
    // Two hooks on purpose: what the manifest declares and what a call is checked against must be the same map.
    manifestTools: (next) => (tools, scopes) => next(tools.map(remap), scopes),
    requiredScopes: (next) => (tool, read) => (tool.risk === 'high' ? writeScope(tool) : next(tool, read)),
  },
};
