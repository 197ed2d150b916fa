import type { CheckResult, RunReport } from '../runner/result.js';
import { fingerprintOf } from '../runner/fingerprint.js';
import { areaOf } from '../protocol/requirements.js';
import { fileReporter } from './file-reporter.js';
import { heldBackResults, reportVerdict } from './summary.js';

// XML 1.0 forbids most control characters even when escaped; drop them rather than emit an unparsable file.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function xmlEscape(s: string): string {
  return s
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

function testcase(r: CheckResult, strict: boolean): string {
  const open = `    <testcase classname=${attr(areaOf(r.id))} name=${attr(`${r.id} ${r.title}`)} time=${attr((r.durationMs / 1000).toFixed(3))}`;
  const text = xmlEscape(details(r));
  const msg = attr(r.message ?? r.status);
  const props = findingProperties(r);
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

export function renderJunit(report: RunReport): string {
  const byArea = new Map<string, CheckResult[]>();
  for (const r of [...report.results, ...heldBackResults(report)]) {
    const area = areaOf(r.id);
    byArea.set(area, [...(byArea.get(area) ?? []), r]);
  }
  const count = (rs: CheckResult[], ...st: CheckResult['status'][]) => rs.filter((r) => st.includes(r.status)).length;
  const v = reportVerdict(report);
  if (v.verdict === 'incomplete') {
    // An incomplete run must not look green even when every case that ran passed.
    const why = v.reason ?? 'nothing was evaluated';
    byArea.set('verdict', [{ id: 'RUN-VERDICT', level: 'MUST', layer: 'core', title: `run verdict: ${why}`, safety: report.safety, status: 'error', message: `INCOMPLETE: ${why} (exit 3)`, durationMs: 0 }]);
  }
  const suites = [...byArea].map(([area, rs]) => {
    const time = rs.reduce((t, r) => t + r.durationMs, 0) / 1000;
    return [
      `  <testsuite name=${attr(area)} tests=${attr(rs.length)} failures=${attr(count(rs, 'fail'))} errors=${attr(count(rs, 'error', 'blocked'))} skipped=${attr(count(rs, 'skip'))} time=${attr(time.toFixed(3))}>`,
      ...rs.map((r) => testcase(r, report.strict)),
      '  </testsuite>',
    ].join('\n');
  });
  const all = [...byArea.values()].flat();
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name=${attr(`openport-conform ${report.profile} ${report.target.url}`)} tests=${attr(all.length)} failures=${attr(count(all, 'fail'))} errors=${attr(count(all, 'error', 'blocked'))} skipped=${attr(count(all, 'skip'))} time=${attr((report.durationMs / 1000).toFixed(3))}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

export const junitReporter = () => fileReporter('junit', 'junit.xml', renderJunit);
