/**
 * How a gate report is shown: the console summary (each step with its counts, ending in the verdict),
 * gate.md for a CI job summary, gate.json, and SARIF in which every release-tree and deployment finding is
 * a result with a region, next to the profile's results.
 */
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import type { RunReport } from '../runner/result.js';
import { GATE_VERDICT_TEXT } from '../runner/verdict.js';
import { REQUIREMENTS } from '../protocol/requirements.js';
import { renderJunit, type JunitCase } from '../report/junit.js';
import { cell, renderMarkdown } from '../report/markdown.js';
import { renderSarif } from '../report/sarif.js';
import { displayLine } from '../report/text.js';
import type { DeploymentFinding } from './deployment.js';
import type { GateReport, StepStatus } from './gate.js';
import type { TreeFinding } from './tree-scan.js';

const RULE_INDEX = new Map(REQUIREMENTS.map((r, i) => [r.id, i]));

/** The path of a tree finding as code scanning wants it: relative to the working directory, forward slashes. */
export function findingPath(f: Pick<TreeFinding, 'root' | 'file'>): string {
  const rel = relative(process.cwd(), resolve(f.root, f.file));
  return (rel.startsWith('..') || isAbsolute(rel) ? resolve(f.root, f.file) : rel).split(sep).join(posix.sep);
}

export function treeLocation(f: Pick<TreeFinding, 'root' | 'file' | 'line' | 'commit'> & { column?: number }): string {
  return `${findingPath(f)}:${f.line}${f.column ? `:${f.column}` : ''}${f.commit ? ` (commit ${f.commit})` : ''}`;
}

export function deploymentLocation(f: DeploymentFinding): string {
  if (f.file) return `${f.file}${f.line ? `:${f.line}:${f.column}` : ''}`;
  return `${f.source} /${f.path.join('/')}`;
}

function region(startLine: number, startColumn: number, endLine = startLine, endColumn = startColumn) {
  return { startLine, startColumn, endLine, endColumn };
}

export function gateSarifResults(g: GateReport): object[] {
  const ruleIndex = (id: string) => (RULE_INDEX.has(id) ? { ruleIndex: RULE_INDEX.get(id) } : {});
  const tree = (g.tree?.findings ?? []).map((f) => ({
    ruleId: f.ruleId,
    ...ruleIndex(f.ruleId),
    level: 'error',
    message: { text: `${f.ruleId}: ${f.message}${f.commit ? ` (in commit ${f.commit})` : ''}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: findingPath(f) }, region: region(f.line, f.column, f.endLine, f.endColumn) } }],
    partialFingerprints: { openportValue: f.fingerprint },
    ...(f.suppression ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.suppression.justification + (f.suppression.link ? ` (${f.suppression.link})` : '') }] } : {}),
    properties: { detector: f.detector, fingerprint: f.fingerprint, ...(f.commit ? { commit: f.commit } : {}) },
  }));
  // Findings a directive in the file silenced: code scanning shows them as suppressed in source.
  const allowed = (g.tree?.allowed ?? []).map((a) => ({
    ruleId: a.ruleId,
    ...ruleIndex(a.ruleId),
    level: 'error',
    message: { text: `${a.ruleId}: ${a.detector} finding allowed by ${a.directive}${a.commit ? ` (in commit ${a.commit})` : ''}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: findingPath(a) }, region: region(a.line, 1) } }],
    suppressions: [{ kind: 'inSource', status: 'accepted', justification: a.directive }],
    properties: { detector: a.detector, ...(a.commit ? { commit: a.commit } : {}) },
  }));
  const deployment = (g.deployment?.findings ?? []).map((f) => ({
    ruleId: f.ruleId,
    ...ruleIndex(f.ruleId),
    level: f.status === 'fail' ? 'error' : 'warning',
    message: { text: `${f.ruleId}: ${f.message}` },
    locations: [
      f.file
        ? { physicalLocation: { artifactLocation: { uri: f.file.split('\\').join('/') }, ...(f.line ? { region: region(f.line, f.column ?? 1) } : {}) } }
        : { physicalLocation: { artifactLocation: { uri: `${f.source.replace(/\/$/, '')}/api/agent-admin/v1/apps/${encodeURIComponent(f.app)}` } } },
    ],
    properties: { app: f.app, path: `/${f.path.join('/')}`, status: f.status },
  }));
  return [...tree, ...allowed, ...deployment];
}

/** When the profile step could not run there is no RunReport; the SARIF file is still written. */
function placeholderReport(g: GateReport): RunReport {
  return {
    tool: g.tool,
    target: { url: 'not-evaluated:', embedded: false, faults: [] },
    profile: '(not run)',
    safety: 'read-only',
    strict: false,
    seed: 0,
    startedAt: g.startedAt,
    finishedAt: g.finishedAt,
    durationMs: 0,
    summary: { pass: 0, fail: 0, warn: 0, skip: 0, blocked: 0, error: 0, total: 0, heldBack: 0 },
    heldBack: { ids: [] },
    verdict: 'incomplete',
    exitCode: 3,
    results: [],
    cleanup: { revoked: [], failed: [] },
    gate: { baseline: g.baseline?.file ?? null, steps: g.steps.filter((s) => s.name !== 'profile').map(({ name, status }) => ({ name, status })), verdict: g.verdict, exitCode: g.exitCode, text: GATE_VERDICT_TEXT[g.verdict] },
  };
}

/**
 * junit.xml of a gate: the profile's cases (baselined failures skipped with their reason), then a suite per
 * scan — each release-tree finding and deployment rule a case (open findings failures, baselined and
 * inline-allowed ones skipped with the reason, deployment warnings passed with the warning), stale baseline
 * entries failures, a step that could not run an error, a step that passed one passed case.
 */
export function renderGateJunit(g: GateReport): string {
  const stepCases = (name: GateReport['steps'][number]['name']): JunitCase[] =>
    g.steps.filter((s) => s.name === name && (s.status === 'pass' || s.status === 'error')).map((s) => ({ classname: name, name: `${name} step`, outcome: s.status === 'pass' ? 'pass' : 'error', message: s.summary, text: s.summary }));
  const t = g.tree;
  const tree: JunitCase[] = [
    ...stepCases('release-tree'),
    ...(t?.findings ?? []).map((f): JunitCase => ({
      classname: 'release-tree',
      name: `${f.ruleId} ${treeLocation(f)} (${f.detector})`,
      outcome: f.suppression ? 'skip' : 'fail',
      message: f.suppression ? `accepted by the baseline: ${f.suppression.justification}` : f.message,
      text: `${f.message} [fingerprint ${f.fingerprint}]`,
      properties: [['detector', f.detector], ['fingerprint', f.fingerprint], ...(f.commit ? [['commit', f.commit] as [string, string]] : [])],
    })),
    ...(t?.allowed ?? []).map((a): JunitCase => ({ classname: 'release-tree', name: `${a.ruleId} ${treeLocation(a)} (${a.detector})`, outcome: 'skip', message: `allowed in the file by ${a.directive}` })),
    ...(t?.baseline?.stale ?? []).map((e): JunitCase => ({ classname: 'release-tree', name: `stale tree entry ${e.rule} ${e.file} ${e.fingerprint}`, outcome: 'fail', message: 'the finding is gone; remove the entry' })),
  ];
  const deployment: JunitCase[] = [
    ...stepCases('deployment'),
    ...(g.deployment?.findings ?? []).map((f): JunitCase => ({ classname: 'deployment', name: `${f.ruleId} ${deploymentLocation(f)}`, outcome: f.status === 'fail' ? 'fail' : 'warn', message: f.message, properties: [['app', f.app]] })),
  ];
  const baseline: JunitCase[] = (g.baseline?.stale ?? []).map((e) => ({ classname: 'baseline', name: `stale entry ${e.id}`, outcome: 'fail', message: 'its check now passes; remove the entry' }));
  return renderJunit(g.profile ?? placeholderReport(g), [['release-tree', tree], ['deployment', deployment], ['baseline', baseline]]);
}

export function renderGateSarif(g: GateReport): string {
  return renderSarif(g.profile ?? placeholderReport(g), gateSarifResults(g));
}

export function renderGateJson(g: GateReport): string {
  return `${JSON.stringify(g, null, 2)}\n`;
}

const WORD: Record<StepStatus, string> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skipped: 'SKIP' };
const passing = (g: GateReport) => g.exitCode === 0;

/** Under the release-tree step: open findings first (with the fingerprint a baseline entry names), then what was accepted and why, links, stale entries. */
function treeDetails(t: GateReport['tree']): string[] {
  if (!t) return [];
  const open = t.findings.filter((f) => !f.suppression);
  const b = t.baseline;
  return [
    ...open.map((f) => `${f.ruleId} ${treeLocation(f)} ${f.message} [fingerprint ${f.fingerprint}]`),
    ...(b?.stale ?? []).map((e) => `stale tree entry ${e.rule} ${e.file} ${e.fingerprint}: the finding is gone; remove the entry`),
    ...t.findings.filter((f) => f.suppression).map((f) => `baselined ${f.ruleId} ${treeLocation(f)} (${f.detector}): ${f.suppression!.justification}`),
    ...t.allowed.map((a) => `allowed ${a.ruleId} ${treeLocation(a)} (${a.detector}) by ${a.directive}`),
    ...(b?.expired ?? []).map((e) => `expired tree entry ${e.rule} ${e.file} (${e.expires}): no longer suppresses`),
    ...(b?.unmatched ?? []).map((e) => `tree entry ${e.rule} ${e.file}: file not scanned`),
    ...t.symlinks.map((l) => `symlink ${findingPath(l)} -> ${l.target} (${LINK_TEXT[l.kind]}; not followed)`),
  ];
}

const LINK_TEXT = { inside: 'inside the root', outside: 'points outside the root', dangling: 'dangling', loop: 'a loop' } as const;

/** Lines under a step: what failed, what warned, what the baseline says. */
function details(g: GateReport, step: GateReport['steps'][number]['name']): string[] {
  if (step === 'release-tree') return treeDetails(g.tree);
  if (step === 'deployment') return (g.deployment?.findings ?? []).map((f) => `${f.status} ${f.ruleId} ${deploymentLocation(f)} ${f.message}`);
  if (step === 'profile') {
    return (g.profile?.results ?? [])
      .filter((r) => ['fail', 'warn', 'blocked', 'error'].includes(r.status))
      .map((r) => `${r.status} ${r.id}${r.suppression ? ` (baselined: ${r.suppression.justification})` : ''}${r.message ? ` ${r.message}` : ''}`);
  }
  const b = g.baseline;
  if (!b) return [];
  return [
    ...b.stale.map((e) => `stale ${e.id}: its check now passes; remove the entry`),
    ...b.expired.map((e) => `expired ${e.id} (${e.expires}): no longer suppresses`),
    ...b.unmatched.map((e) => `matched nothing ${e.id} (expect ${e.expect}${e.fingerprint ? `, fingerprint ${e.fingerprint}` : ''})`),
  ];
}

export function renderGateText(g: GateReport, paint: { ok(s: string): string; bad(s: string): string; dim(s: string): string } = { ok: (s) => s, bad: (s) => s, dim: (s) => s }): string {
  const colour = (s: StepStatus, text: string) => (s === 'pass' ? paint.ok(text) : s === 'skipped' ? paint.dim(text) : paint.bad(text));
  const lines = ['', 'Gate:'];
  for (const s of g.steps) {
    // Summaries and findings quote the target (app names, messages, ids): one line each, controls made visible.
    lines.push(`  ${s.name.padEnd(13)}${colour(s.status, WORD[s.status].padEnd(6))}${displayLine(s.summary)}`);
    const more = details(g, s.name);
    for (const d of more.slice(0, 20)) lines.push(`      ${displayLine(d)}`);
    if (more.length > 20) lines.push(`      … and ${more.length - 20} more (see gate.json)`);
  }
  const verdict = GATE_VERDICT_TEXT[g.verdict];
  lines.push('', passing(g) ? paint.ok(verdict) : paint.bad(verdict));
  return `${lines.join('\n')}\n`;
}

/** gate.md: the verdict, a table of steps, every finding and baseline note, then the profile summary. */
export function renderGateMarkdown(g: GateReport): string {
  const icon = g.verdict === 'passed' ? '✅' : g.verdict === 'selection-passed' ? '☑️' : g.verdict === 'failed' ? '❌' : '⚠️';
  const lines = [`## ${icon} OpenPort release gate: ${GATE_VERDICT_TEXT[g.verdict]}`, '', '| Step | Status | Summary |', '| --- | --- | --- |'];
  for (const s of g.steps) lines.push(`| ${s.name} | ${WORD[s.status]} | ${cell(s.summary)} |`);
  for (const s of g.steps) {
    const more = details(g, s.name);
    if (more.length === 0) continue;
    lines.push('', `### ${s.name}`, '', ...more.slice(0, 200).map((d) => `- ${cell(d)}`));
  }
  // The profile's own summary under the steps; its heading would repeat the gate's verdict, so it is the step's name.
  // The steps are this page's own sections above: the profile's section leaves out its copy of their outcomes.
  if (g.profile) lines.push('', renderMarkdown({ ...g.profile, ...(g.profile.gate ? { gate: { ...g.profile.gate, steps: undefined } } : {}) }).replace(/^## .*$/m, '### Profile step').trimEnd());
  return `${lines.join('\n')}\n`;
}
