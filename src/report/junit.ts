import type { CheckResult, RunReport } from '../runner/result.js';
import { fingerprintOf } from '../runner/fingerprint.js';
import { areaOf } from '../protocol/requirements.js';
import { fileReporter } from './file-reporter.js';
import { gateStepFindings, heldBackResults, reportVerdict } from './summary.js';
import { displayReport, displayText } from './text.js';

// XML 1.0 forbids the noncharacters even when escaped; controls (C0 and C1) displayText has already made "?".
const XML_INVALID = /[\uFFFE\uFFFF]/g;

export function xmlEscape(s: string): string {
  return displayText(s)
    .replace(XML_INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attr = (v: string | number) => `"${xmlEscape(String(v))}"`;

/** The human text of a result: message, expected/actual, reproduce line, hint. */
function details(r: CheckResult): string {
  return [
    r.message,
    r.expected !== undefined ? `expected: ${r.expected}` : undefined,
    r.actual !== undefined ? `actual:   ${r.actual}` : undefined,
    r.finding ? `rests on: ${r.finding.basis}${r.finding.source ? ` (${r.finding.source})` : ''}` : undefined,
    r.reproduce !== undefined ? `reproduce: ${r.reproduce}` : undefined,
    r.hint !== undefined ? `hint: ${r.hint}` : undefined,
  ]
    .filter((x) => x !== undefined)
    .join('\n');
}

/** A finding's data as testcase properties (route, reason code, fingerprint, journal exchanges), read from its fields. */
function findingProperties(r: CheckResult): string[] {
  const f = r.finding;
  if (!f) return [];
  const props: [string, string | undefined][] = [
    ['route', f.route],
    ['expected-code', f.expected.code],
    ['actual-status', f.actual.status?.toString()],
    ['actual-code', f.actual.code],
    ['pointer', f.actual.pointer],
    ['exchanges', f.exchanges.length > 0 ? f.exchanges.join(',') : undefined],
    ['fingerprint', fingerprintOf(r)],
  ];
  return props.filter(([, v]) => v !== undefined).map(([k, v]) => `<property name=${attr(k)} value=${attr(v!)}/>`);
}

function properties(list: string[]): string {
  return list.length > 0 ? `\n      <properties>${list.join('')}</properties>` : '';
}

/** A result the gate's baseline accepted: a skipped case whose message says why (dashboards show it), not a failure. */
const accepted = (r: CheckResult) => r.suppression !== undefined && r.status !== 'pass';

function testcase(r: CheckResult, strict: boolean): string {
  const open = `    <testcase classname=${attr(areaOf(r.id))} name=${attr(`${r.id} ${r.title}`)} time=${attr((r.durationMs / 1000).toFixed(3))}`;
  const text = xmlEscape(details(r));
  const msg = attr(r.message ?? r.status);
  const props = findingProperties(r);
  if (accepted(r)) {
    const why = `${r.status} accepted by the baseline: ${r.suppression!.justification}${r.suppression!.link ? ` (${r.suppression!.link})` : ''}`;
    return `${open}>${properties([`<property name="baselined" value=${attr(r.status)}/>`, ...props])}\n      <skipped message=${attr(why)}/>\n      <system-out>${text}</system-out>\n    </testcase>`;
  }
  switch (r.status) {
    case 'pass':
      if (!r.partial?.length) return `${open}/>`;
      // A partial pass stays a passed case; what did not run goes where dashboards show it beside the case.
      return `${open}>\n      <properties><property name="partial" value=${attr(r.partial.join('; '))}/></properties>\n      <system-out>${xmlEscape(`PARTIAL PASS, not run: ${r.partial.join('; ')}`)}</system-out>\n    </testcase>`;
    case 'warn':
      // A SHOULD that failed: a failure under --strict; otherwise a passed case that carries the warning in
      // a property and in system-err, which GitLab, Jenkins and Azure show beside the case.
      if (strict) return `${open}>${properties(props)}\n      <failure message=${msg} type="SHOULD">${text}</failure>\n    </testcase>`;
      return `${open}>${properties([`<property name="warning" value=${msg}/>`, ...props])}\n      <system-err>WARNING (SHOULD): ${text}</system-err>\n    </testcase>`;
    case 'fail':
      return `${open}>${properties(props)}\n      <failure message=${msg} type=${attr(r.level)}>${text}</failure>\n    </testcase>`;
    case 'skip':
      return `${open}>\n      <skipped message=${msg}/>\n    </testcase>`;
    case 'blocked':
    case 'error':
      return `${open}>\n      <error message=${msg} type=${attr(r.status)}>${text}</error>\n    </testcase>`;
  }
}

/**
 * A test case that is not a check's result: a finding of the gate's release-tree or deployment scan, a stale
 * baseline entry, a step that could not run. `warn` is a passed case carrying the warning, as for a SHOULD.
 */
export interface JunitCase {
  classname: string;
  name: string;
  outcome: 'pass' | 'fail' | 'warn' | 'skip' | 'error';
  message: string;
  text?: string;
  properties?: [string, string][];
}

function extraCase(c: JunitCase): string {
  const open = `    <testcase classname=${attr(c.classname)} name=${attr(c.name)} time="0.000"`;
  const props = properties((c.properties ?? []).map(([k, v]) => `<property name=${attr(k)} value=${attr(v)}/>`));
  const text = xmlEscape(c.text ?? c.message);
  const body = {
    pass: c.text ? `\n      <system-out>${text}</system-out>` : '',
    fail: `\n      <failure message=${attr(c.message)} type="finding">${text}</failure>`,
    warn: `\n      <system-err>WARNING: ${text}</system-err>`,
    skip: `\n      <skipped message=${attr(c.message)}/>`,
    error: `\n      <error message=${attr(c.message)} type="error">${text}</error>`,
  }[c.outcome];
  return props || body ? `${open}>${props}${body}\n    </testcase>` : `${open}/>`;
}

/**
 * A gate report without the gate's own suites (shards merged: only each step's outcome travels in report.json):
 * one case per step besides the profile, so a failed scan is a failure here too.
 */
function gateStepSuites(report: RunReport): [string, JunitCase[]][] {
  const steps = report.gate?.steps ?? [];
  if (steps.length === 0) return [];
  const outcome = { pass: 'pass', fail: 'fail', error: 'error', skipped: 'skip' } as const;
  return [['gate steps', steps.map((st) => ({
    classname: 'gate', name: st.name, outcome: outcome[st.status],
    message: `${st.name}: ${st.status}${gateStepFindings(st) ? ` (${gateStepFindings(st)})` : ''}`,
  }))]];
}

/** The report's results by area, then `extra` suites (the gate's scans), each a name and its cases. */
export function renderJunit(input: RunReport, given: readonly [string, JunitCase[]][] = []): string {
  const report = displayReport(input);
  const extra = given.length > 0 ? given : gateStepSuites(report);
  const byArea = new Map<string, CheckResult[]>();
  for (const r of [...report.results, ...heldBackResults(report)]) {
    const area = areaOf(r.id);
    byArea.set(area, [...(byArea.get(area) ?? []), r]);
  }
  // Baselined results are counted as skipped, as they are rendered.
  const count = (rs: CheckResult[], ...st: CheckResult['status'][]) => rs.filter((r) => (accepted(r) ? st.includes('skip') : st.includes(r.status))).length;
  const v = reportVerdict(report);
  if (v.verdict === 'incomplete') {
    // An incomplete run must not look green even when every case that ran passed.
    const why = v.reason ?? 'nothing was evaluated';
    const which = report.gate ? 'gate' : 'run';
    byArea.set('verdict', [{ id: `${which.toUpperCase()}-VERDICT`, level: 'MUST', layer: 'core', title: `${which} verdict: ${why}`, safety: report.safety, status: 'error', message: `INCOMPLETE: ${why} (exit 3)`, durationMs: 0 }]);
  }
  const suite = (name: string, cases: string[], n: { failures: number; errors: number; skipped: number }, time: number) =>
    [`  <testsuite name=${attr(name)} tests=${attr(cases.length)} failures=${attr(n.failures)} errors=${attr(n.errors)} skipped=${attr(n.skipped)} time=${attr(time.toFixed(3))}>`, ...cases, '  </testsuite>'].join('\n');
  const tally = (rs: CheckResult[]) => ({ failures: count(rs, 'fail'), errors: count(rs, 'error', 'blocked'), skipped: count(rs, 'skip') });
  const extraTally = (cs: JunitCase[]) => ({ failures: cs.filter((c) => c.outcome === 'fail').length, errors: cs.filter((c) => c.outcome === 'error').length, skipped: cs.filter((c) => c.outcome === 'skip').length });
  const suites = [
    ...[...byArea].map(([area, rs]) => suite(area, rs.map((r) => testcase(r, report.strict)), tally(rs), rs.reduce((t, r) => t + r.durationMs, 0) / 1000)),
    ...extra.filter(([, cs]) => cs.length > 0).map(([name, cs]) => suite(name, cs.map(extraCase), extraTally(cs), 0)),
  ];
  const all = tally([...byArea.values()].flat());
  const more = extraTally(extra.flatMap(([, cs]) => cs));
  const tests = [...byArea.values()].flat().length + extra.reduce((n, [, cs]) => n + cs.length, 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name=${attr(`openport-conform ${report.profile} ${report.target.url}`)} tests=${attr(tests)} failures=${attr(all.failures + more.failures)} errors=${attr(all.errors + more.errors)} skipped=${attr(all.skipped + more.skipped)} time=${attr((report.durationMs / 1000).toFixed(3))}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

export const junitReporter = () => fileReporter('junit', 'junit.xml', renderJunit);
