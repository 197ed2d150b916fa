import type { RunReport } from '../runner/result.js';
import { fileReporter } from './file-reporter.js';
import { displayReport } from './text.js';

/**
 * report.json is the RunReport (fixtures/schemas/report.schema.json describes it) with its text as every
 * reader sees it (displayReport: no control character, bidi controls shown); the raw bytes stay in the journal.
 */
export function renderJson(report: RunReport): string {
  return `${JSON.stringify(displayReport(report), null, 2)}\n`;
}

export const jsonReporter = () => fileReporter('json', 'report.json', renderJson);
