import { createHash } from 'node:crypto';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'gate-tree-token',
  clauses: ['GATE.tree.secrets'],
  description: "The release's example configuration carries a live agent token (op_ and 32 random bytes) instead of a placeholder.",
  hooks: {
    releaseFiles: (next) => () => {
      // Random-looking bytes, as a minted token's are (a placeholder is not a finding).
      const token = `op_${createHash('sha256').update('openport-conform gate-tree-token').digest('base64url')}`;
      return { ...next(), 'openport.example.yaml': `url: http://127.0.0.1:8787\ntoken: ${token}\n` };
    },
  },
} as const satisfies FaultDef;
