import type { RunReport } from '../runner/result.js';
import { fileReporter } from './file-reporter.js';

/** report.json is the RunReport as is; fixtures/schemas/report.schema.json describes it. */
export function renderJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export const jsonReporter = () => fileReporter('json', 'report.json', renderJson);
