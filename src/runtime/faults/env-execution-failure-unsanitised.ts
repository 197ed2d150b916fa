import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-execution-failure-unsanitised',
  clauses: ['ENV.execution_failed.sanitised'],
  description: "A failed execution's error carries the adapter's raw failure: its message followed by a stack frame with a file path.",
  hooks: {
    executionError: (next) => (error) => {
      const e = next(error);
      return { ...e, message: `${e.message}\n    at Adapter.execute (/srv/app/dist/adapters/domain.js:212:17)` };
    },
  },
} as const satisfies FaultDef;
