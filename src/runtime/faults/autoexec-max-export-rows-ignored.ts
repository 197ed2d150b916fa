import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-max-export-rows-ignored',
  clauses: ['AUTOEXEC.high_risk.max_export_rows'],
  description: "The high_risk tier's max_export_rows is stored but never applied: an auto-executed export delivers every row.",
  hooks: {
    maxExportRows: () => () => Number.MAX_SAFE_INTEGER,
  },
} as const satisfies FaultDef;
