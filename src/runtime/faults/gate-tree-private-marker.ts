import type { FaultDef } from './fault.js';

export const fault = {
  name: 'gate-tree-private-marker',
  clauses: ['GATE.tree.private-markers'],
  description: "The release's example configuration points at a host of the internal network (ops-gateway.corp.internal).",
  hooks: {
    releaseFiles: (next) => () => ({ ...next(), 'openport.example.yaml': 'url: https://ops-gateway.corp.internal:8787\ntoken: ${OPENPORT_AGENT_TOKEN}\n' }),
  },
} as const satisfies FaultDef;
