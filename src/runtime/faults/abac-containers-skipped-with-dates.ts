import type { FaultDef } from './fault.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

/** Whether the payload of the write being answered names a date (a member holding an ISO date), per runtime (noted by requestBody). */
const dated = new WeakMap<object, boolean>();

export const fault = {
  name: 'abac-containers-skipped-with-dates',
  clauses: ['ABAC.data.containers.write'],
  description: "The container allow-list of the data policy is not applied to a write whose payload names a date bound (the demo export's startDate/endDate, the helpdesk's openedFrom/openedTo): an app allowed only another container previews, drafts and exports this one when it gives dates (the same export without dates, and reads, are still refused).",
  hooks: {
    requestBody: (next, env) => (route, body) => {
      const p = (body as { payload?: unknown }).payload;
      dated.set(env.store, (route === 'POST /actions' || route === 'POST /preflight') && typeof p === 'object' && p !== null && Object.values(p).some((v) => typeof v === 'string' && ISO_DATE.test(v)));
      return next(route, body);
    },
    allowedContainers: (next, env) => (data, at, tool) => (at !== 'read' && dated.get(env.store) === true ? null : next(data, at, tool)),
  },
} as const satisfies FaultDef;
