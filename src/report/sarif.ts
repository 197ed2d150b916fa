import type { CheckResult, RunReport } from '../runner/result.js';
import { fingerprintOf } from '../runner/fingerprint.js';
import { reportVerdict } from '../runner/verdict.js';
import { areaOf, REQUIREMENTS } from '../protocol/requirements.js';
import { citationsOf, primarySource } from '../protocol/sources.js';
import { fileReporter } from './file-reporter.js';
import { displayDeep, displayReport } from './text.js';

/**
 * A public page a code-scanning reader can open for a requirement: where its basis is stated (the authors'
 * specification at a pinned commit, else the paper). The project's own reading travels in the rule's help
 * text as a package-relative path, since the machine that ran the tool is not where the reader is.
 */
function ruleHelp(r: (typeof REQUIREMENTS)[number]): { helpUri: string; help: { text: string; markdown: string } } {
  const c = citationsOf(r.basis);
  const text = `Rests on: ${r.basis}. The project's reading: ${c.reading} (openport-conform explain ${r.id}). Public sources: ${c.sources.map((s) => `${s.label} ${s.url}`).join('; ')}.`;
  const markdown = `Rests on: ${r.basis}\n\nThe project's reading: \`${c.reading}\` (\`openport-conform explain ${r.id}\`)\n\nPublic sources: ${c.sources.map((s) => `[${s.label}](${s.url})`).join(' · ')}`;
  return { helpUri: primarySource(r.basis).url, help: { text, markdown } };
}

const RULE_INDEX = new Map(REQUIREMENTS.map((r, i) => [r.id, i]));

function message(r: CheckResult): string {
  const parts = [`${r.id} ${r.status}: ${r.message ?? r.title}`];
  if (r.expected !== undefined) parts.push(`Expected: ${r.expected}`);
  if (r.actual !== undefined) parts.push(`Actual: ${r.actual}`);
  if (r.reproduce !== undefined) parts.push(`Reproduce: ${r.reproduce}`);
  return parts.join('\n');
}

/** A pass that names parts of it that did not run: a note, so code-scanning views show the gap without alerting. */
function partialResult(r: CheckResult, uri: string): object {
  return {
    ruleId: r.id,
    ...(RULE_INDEX.has(r.id) ? { ruleIndex: RULE_INDEX.get(r.id) } : {}),
    level: 'note',
    message: { text: `${r.id} passed in part; not run: ${r.partial!.join('; ')}` },
    locations: [{ physicalLocation: { artifactLocation: { uri } } }],
    properties: { status: r.status, partial: r.partial, requirementLevel: r.level, layer: r.layer },
  };
}

/**
 * SARIF 2.1.0: the requirement table as rules, one result per fail or warn, and a note per partial pass,
 * located at the target URL.
 * Baselined failures carry `suppressions[]` with the justification; `extra` are results located elsewhere
 * (the gate's release-tree and deployment findings).
 */
export function renderSarif(input: RunReport, extra: readonly object[] = []): string {
  // Fingerprints are taken from the text report.json shows, so merge and verify, reading it, find the same.
  const report = displayReport(input);
  const rules = REQUIREMENTS.map((r) => ({
    id: r.id,
    shortDescription: { text: r.title },
    fullDescription: { text: `${r.level} requirement of the ${r.layer} profile (${areaOf(r.id)}): ${r.title} Run \`openport-conform explain ${r.id}\` for how it is checked.` },
    ...ruleHelp(r),
    defaultConfiguration: { level: r.level === 'MUST' ? 'error' : 'warning' },
    properties: { level: r.level, layer: r.layer },
  }));
  const results = report.results
    .filter((r) => r.status === 'fail' || r.status === 'warn')
    .map((r) => ({
      ruleId: r.id,
      ...(RULE_INDEX.has(r.id) ? { ruleIndex: RULE_INDEX.get(r.id) } : {}),
      level: r.status === 'fail' ? 'error' : 'warning',
      message: { text: message(r) },
      locations: [{ physicalLocation: { artifactLocation: { uri: report.target.url } } }],
      // The baseline's fingerprint: code scanning tracks the same failure across runs by it.
      partialFingerprints: { 'openportFingerprint/v1': fingerprintOf(r) },
      properties: {
        status: r.status,
        requirementLevel: r.level,
        layer: r.layer,
        ...(r.finding ? { route: r.finding.route, expected: r.finding.expected, actual: r.finding.actual, exchanges: r.finding.exchanges, basis: r.finding.basis } : {}),
      },
      ...(r.suppression
        ? { suppressions: [{ kind: 'external', status: 'accepted', justification: r.suppression.link ? `${r.suppression.justification} (${r.suppression.link})` : r.suppression.justification }] }
        : {}),
    }));
  const v = reportVerdict(report);
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: report.tool.name, version: report.tool.version, rules } },
        invocations: [
          {
            executionSuccessful: v.exitCode !== 3,
            ...(report.toolError ? { toolExecutionNotifications: [{ level: 'error', message: { text: report.toolError }, ...(report.toolErrorCode ? { descriptor: { id: report.toolErrorCode } } : {}) }] } : {}),
            startTimeUtc: report.startedAt,
            endTimeUtc: report.finishedAt,
          },
        ],
        results: [...results, ...report.results.filter((r) => r.status === 'pass' && r.partial?.length).map((r) => partialResult(r, report.target.url)), ...extra],
        properties: { profile: report.profile, seed: report.seed, safety: report.safety, verdict: v.verdict, selection: v.selection },
      },
    ],
  };
  // The gate's extra results quote the release tree and the deployment: the same sanitizer.
  const shown = displayDeep(sarif);
  for (const run of shown.runs) {
    for (const r of run.results as { message: { text: string } }[]) r.message.text = plainMessage(r.message.text);
    for (const inv of run.invocations) for (const n of inv.toolExecutionNotifications ?? []) n.message.text = plainMessage(n.message.text);
  }
  return `${JSON.stringify(shown, null, 2)}\n`;
}

/**
 * A plain-text SARIF message (§3.11.6) renders `[text](target)` as a link: the target's text, quoted in a
 * message, must not make one (`[x](javascript:…)`). Brackets are escaped with a backslash, and so is a
 * backslash before one, as the format asks of literal brackets.
 */
function plainMessage(text: string): string {
  return text.replace(/\\(?=[[\]])/g, '\\\\').replace(/[[\]]/g, '\\$&');
}

export const sarifReporter = () => fileReporter('sarif', 'report.sarif', (r) => renderSarif(r));
