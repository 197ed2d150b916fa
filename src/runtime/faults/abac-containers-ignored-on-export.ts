import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-containers-ignored-on-export',
  clauses: ['ABAC.data.containers.write'],
  description: "The container allow-list of the data policy is not applied to the export tool (a write tool named …export…, the demo's transactions.export_csv): an app allowed only another container previews, drafts and exports this one.",
  hooks: {
    allowedContainers: (next) => (data, at, tool) => (tool !== undefined && /export/.test(tool) ? null : next(data, at, tool)),
  },
} as const satisfies FaultDef;
