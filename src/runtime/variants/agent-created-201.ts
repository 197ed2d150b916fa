import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'agent-created-201',
  description: 'Agent-plane POSTs that create something answer HTTP 201: a preflight (its pfl_ record), a drafted write, an executed one. Auto-execute refusals and idempotent replays keep 200.',
  allowedBy: 'Brief section 5 gives common.success no status, and section 4 fixes HTTP 200 only for auto-execute refusals and replays; 201 Created is the HTTP status of a creation.',
  hooks: {
    agentReplyStatus: (next) => (route, data) => {
      const d = data as { autoExecuteDeniedCode?: unknown; replayed?: unknown } | null;
      const created = (route === 'POST /preflight' || route === 'POST /actions') && d?.autoExecuteDeniedCode === undefined && d?.replayed !== true;
      return created ? 201 : next(route, data);
    },
  },
};
