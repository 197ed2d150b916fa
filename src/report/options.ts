/**
 * The report options of the commands that run checks, declared like the run options
 * (src/runner/options.ts): --reporter's choices and the gate config's `reporters` enum both come from
 * REPORTER_NAMES, the one list of reporters.
 */
import type { OptionDef, OptionValues } from '../runner/options.js';
import { DEFAULT_REPORTERS, isReporterName, REPORTER_NAMES, type ReporterName } from './index.js';

/** Comma lists and repeats add up; an unknown name is refused listing the valid ones. */
export function parseReporters(value: string, previous: ReporterName[] = []): ReporterName[] {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = names.filter((n) => !isReporterName(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`unknown reporter ${unknown.map((n) => `"${n}"`).join(', ') || '(empty)'}; choose from ${REPORTER_NAMES.join(', ')} (comma-separated)`);
  }
  return [...new Set([...previous, ...(names as ReporterName[])])];
}

export const REPORT_OPTIONS = {
  reporter: {
    arg: '<list>', help: `comma-separated reporters from ${REPORTER_NAMES.join(', ')}`, commands: ['run', 'fuzz', 'gate', 'merge'], parse: parseReporters, list: true,
    choices: REPORTER_NAMES, default: DEFAULT_REPORTERS, config: 'reporters',
    per: { gate: { default: ['pretty', 'json', 'sarif', 'markdown'] } },
  } satisfies OptionDef<ReporterName[]>,
  out: {
    arg: '<dir>', help: 'directory for report files (created)', commands: ['run', 'fuzz', 'gate', 'certify', 'merge', 'init', 'openapi'], default: 'openport-report', fill: true, config: 'out',
    per: {
      merge: { help: 'directory for the merged report files' },
      init: { arg: '<file>', help: 'the target description to write (never over an existing file)', default: 'target.yaml' },
      openapi: { arg: '<file>', help: 'write the document to this file (JSON; .yaml or .yml: YAML) instead of standard output', default: undefined },
    },
  } satisfies OptionDef<string>,
};

export type ReportOptionValues = OptionValues<typeof REPORT_OPTIONS>;
