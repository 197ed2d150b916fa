import type { FaultDef } from './fault.js';

/** Whether the POST /actions being answered asks to execute at once, per runtime (its body is read before the handler). */
const executing = new WeakMap<object, boolean>();

export const fault = {
  name: 'abac-containers-skipped-on-execute',
  clauses: ['ABAC.data.containers.write'],
  description: 'POST /actions with execute: true skips the container allow-list: a write into a container the data policy leaves out auto-executes under an open window; drafts and preflights are refused.',
  hooks: {
    requestBody: (next, env) => (route, body) => {
      executing.set(env.store, route === 'POST /actions' && body.execute === true);
      return next(route, body);
    },
    allowedContainers: (next, env) => (data, at, tool) => (at === 'write' && executing.get(env.store) ? null : next(data, at, tool)),
  },
} as const satisfies FaultDef;
