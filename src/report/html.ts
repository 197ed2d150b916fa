/**
 * report.html: one self-contained file (inline style and script, no network) a reader opens in a browser —
 * the verdict, a requirement matrix by layer and area, every check with its finding (expected/actual, the
 * failing request and response, the replay line), and filters by status and area. Rendered as static HTML,
 * so it reads the same with scripts off; the script only filters.
 */
import type { CheckResult, ResultExchange, RunReport, Status } from '../runner/result.js';
import { AREAS, LAYERS, REQUIREMENTS, areaOf } from '../protocol/requirements.js';
import { fileReporter } from './file-reporter.js';
import { countsLine, formatDuration, heldBackResults, reportVerdict } from './summary.js';
import { displayReport, displayText } from './text.js';

/** What a matrix cell or a row can show: a result status, or held back by --safety. */
type Shown = Status | 'held';

const ORDER: Shown[] = ['fail', 'error', 'blocked', 'warn', 'skip', 'held', 'pass'];

export function htmlEscape(s: string): string {
  return displayText(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const esc = htmlEscape;

function headers(h: Record<string, string>): string {
  return Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\n');
}

function exchangeHtml(ex: ResultExchange): string {
  const q = ex.request;
  const r = ex.response;
  const request = `${q.method} ${q.path}\n${headers(q.headers)}${q.body !== undefined ? `\n\n${q.body}` : ''}`;
  const response = `HTTP ${r.status}\n${headers(r.headers)}\n\n${r.body}`;
  return `<div class="exchange"><div><h4>Request</h4><pre class="request">${esc(request)}</pre></div><div><h4>Response</h4><pre class="response">${esc(response)}</pre></div></div>`;
}

function field(label: string, value: string | undefined, cls: string): string {
  return value === undefined ? '' : `<dt>${label}</dt><dd class="${cls}">${esc(value)}</dd>`;
}

function checkHtml(r: CheckResult, shown: Shown): string {
  const body = [
    '<dl>',
    field('message', r.message, 'message'),
    field('not run', r.partial?.join('\n'), 'partial'),
    field('expected', r.expected, 'expected'),
    field('actual', r.actual, 'actual'),
    field('hint', r.hint, 'hint'),
    r.finding ? `<dt>rests on</dt><dd class="basis">${esc(r.finding.basis)}${r.finding.source ? ` <a href="${esc(r.finding.source)}">${esc(r.finding.source)}</a>` : ''}</dd>` : '',
    '</dl>',
    r.exchange ? exchangeHtml(r.exchange) : '',
    r.reproduce !== undefined ? `<h4>Replay</h4><pre class="replay">${esc(r.reproduce)}</pre>` : '',
  ].join('');
  // Findings open by default: a reader opening a failed report sees why at once.
  const open = shown === 'fail' || shown === 'error' ? ' open' : '';
  return `<details class="check ${shown}" data-status="${shown}" data-area="${esc(areaOf(r.id))}" id="check-${esc(r.id)}"${open}>`
    + `<summary><span class="badge ${shown}">${shown.toUpperCase()}${r.status === 'pass' && r.partial?.length ? ' (partial)' : ''}</span> <b>${esc(r.id)}</b> <span class="level">${r.level}</span> ${esc(r.title)} <span class="dur">${formatDuration(r.durationMs)}</span></summary>`
    + `<div class="body">${body}</div></details>`;
}

/** Layers down, areas across; each cell lists the ids of that layer and area with their colour. */
function matrix(all: CheckResult[], shownOf: (r: CheckResult) => Shown): string {
  const byId = new Map(all.map((r) => [r.id, r]));
  const areas = AREAS.filter((a) => all.some((r) => areaOf(r.id) === a));
  const head = `<tr><th>layer</th>${areas.map((a) => `<th>${esc(a)}</th>`).join('')}</tr>`;
  const rows = LAYERS.filter((l) => all.some((r) => r.layer === l)).map((layer) => {
    const cells = areas.map((area) => {
      const ids = REQUIREMENTS.filter((q) => q.layer === layer && areaOf(q.id) === area && byId.has(q.id));
      const links = ids.map((q) => {
        const shown = shownOf(byId.get(q.id)!);
        const part = byId.get(q.id)!.partial?.length ? ' (partial)' : '';
        return `<a class="cell ${shown}${part ? ' partial' : ''}" href="#check-${esc(q.id)}" title="${esc(`${q.id} ${shown}${part}: ${q.title}`)}">${esc(q.id.slice(q.id.lastIndexOf('-') + 1))}</a>`;
      });
      return `<td>${links.join('')}</td>`;
    });
    return `<tr><th>${esc(layer)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="matrix">${head}${rows.join('')}</table>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{padding:16px 24px;color:#fff}header.conformant{background:#1f7a3a}header.not-conformant{background:#b3261e}
header.incomplete{background:#9a6700}header.selection-passed{background:#2f5f8a}
header h1{margin:0 0 4px;font-size:22px}header p{margin:2px 0;opacity:.92}
main{padding:16px 24px;max-width:1200px}section{margin-bottom:20px}h2{font-size:16px;margin:16px 0 8px}
.matrix{border-collapse:collapse;background:#fff}.matrix th,.matrix td{border:1px solid #d8dce3;padding:4px 6px;text-align:left;vertical-align:top}
.cell{display:inline-block;min-width:30px;margin:1px;padding:1px 4px;border-radius:3px;color:#fff;text-decoration:none;font:12px monospace;text-align:center}
.pass{--c:#1f7a3a}.fail,.error{--c:#b3261e}.warn,.blocked{--c:#9a6700}.skip,.held{--c:#6b7280}
.cell,.badge{background:var(--c)}.cell.partial{outline:2px dashed #9a6700;outline-offset:-2px}.badge{color:#fff;border-radius:3px;padding:0 6px;font:12px monospace;display:inline-block;min-width:52px;text-align:center}
.filters{display:flex;gap:12px;flex-wrap:wrap;align-items:center;background:#fff;padding:8px 12px;border:1px solid #d8dce3}
.filters label{white-space:nowrap}
details.check{background:#fff;border:1px solid #d8dce3;border-left:4px solid var(--c);margin:4px 0}
details.check summary{padding:6px 10px;cursor:pointer}details.check .body{padding:4px 14px 10px}
.level{font:11px monospace;color:#555}.dur{color:#777;font-size:12px}
dl{display:grid;grid-template-columns:90px 1fr;gap:2px 10px;margin:6px 0}dt{color:#555}dd{margin:0;white-space:pre-wrap;word-break:break-word}
pre{background:#0f1720;color:#e6edf3;padding:8px 10px;overflow:auto;max-height:320px;white-space:pre-wrap;word-break:break-all;margin:4px 0}
.exchange{display:grid;grid-template-columns:1fr 1fr;gap:10px}h4{margin:8px 0 2px;font-size:13px}
.hidden{display:none}footer{color:#666;font-size:12px;padding:0 24px 24px}
`;

/** Filters by status and area; runs only on the reader's click, nothing at load but counting. */
const SCRIPT = `
(function(){
  var checks=[].slice.call(document.querySelectorAll('details.check'));
  var boxes=[].slice.call(document.querySelectorAll('input[name=status]'));
  var area=document.getElementById('area');var shown=document.getElementById('shown');
  function apply(){
    var on={};boxes.forEach(function(b){on[b.value]=b.checked});
    var n=0;checks.forEach(function(c){var v=on[c.dataset.status]&&(area.value===''||area.value===c.dataset.area);c.classList.toggle('hidden',!v);if(v)n++});
    shown.textContent=n+' of '+checks.length+' shown';
  }
  boxes.forEach(function(b){b.addEventListener('change',apply)});area.addEventListener('change',apply);apply();
})();
`;

export function renderHtml(input: RunReport): string {
  const report = displayReport(input);
  const v = reportVerdict(report);
  const held = heldBackResults(report);
  const heldIds = new Set(held.map((r) => r.id));
  const shownOf = (r: CheckResult): Shown => (heldIds.has(r.id) ? 'held' : r.status);
  const all = [...report.results, ...held];
  const present = ORDER.filter((s) => all.some((r) => shownOf(r) === s));
  const areas = [...new Set(all.map((r) => areaOf(r.id)))];
  const sorted = [...all].sort((a, b) => ORDER.indexOf(shownOf(a)) - ORDER.indexOf(shownOf(b)));
  const target = report.target.embedded ? 'embedded reference runtime (in-process)' : report.target.url;
  const selection = report.selection ? `<p class="selection">Selection of ${report.selection.ids.length} requirement(s) of the profile (${esc([...report.selection.only.map((o) => `--only ${o}`), ...report.selection.exclude.map((x) => `--exclude ${x}`)].join(' '))}): the verdict is about these only.</p>`
    : report.shard ? `<p class="selection">Shard ${report.shard.index}/${report.shard.count} of the profile: the verdict is about its checks only (merge the shards for the profile's).</p>` : '';
  const filters = `<div class="filters"><b>Show</b>${present.map((s) => `<label><input type="checkbox" name="status" value="${s}" checked> <span class="badge ${s}">${s.toUpperCase()}</span></label>`).join('')}`
    + `<label>area <select id="area"><option value="">all</option>${areas.map((a) => `<option>${esc(a)}</option>`).join('')}</select></label><span id="shown"></span></div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>OpenPort conformance: ${esc(v.text)}</title><style>${STYLE}</style></head>
<body><header class="${v.verdict}"><h1 class="verdict">${esc(v.text)}</h1>
<p class="counts">${esc(countsLine(report))}</p>
<p>profile <b>${esc(report.profile)}</b> · target ${esc(target)} · safety ${esc(report.safety)}${report.strict ? ' · strict' : ''} · seed ${report.seed} · ${formatDuration(report.durationMs)} · exit ${v.exitCode}</p>
${selection}${report.toolError ? `<p class="tool-error"><b>Could not evaluate:</b> ${esc(report.toolError)}</p>` : ''}</header>
<main><section><h2>Requirements by layer and area</h2>${matrix(all, shownOf)}</section>
<section><h2>Checks</h2>${filters}${sorted.map((r) => checkHtml(r, shownOf(r))).join('\n')}</section>
${report.cleanup.failed.length ? `<section><h2>Cleanup</h2><p>Cleanup failed for ${esc(report.cleanup.failed.join(', '))}: revoke them through the admin plane by hand.</p></section>` : ''}
</main><footer>${esc(report.tool.name)} ${esc(report.tool.version)} · ${esc(report.startedAt)} → ${esc(report.finishedAt)}</footer>
<script>${SCRIPT}</script></body></html>
`;
}

export const htmlReporter = () => fileReporter('html', 'report.html', renderHtml);
