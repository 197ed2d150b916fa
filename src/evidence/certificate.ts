/**
 * The certificate of a verified bundle: certificate.md and badge.svg, only for a complete conformant run
 * of a whole profile — never a selection, a shard, an incomplete run, a run whose failure a baseline accepted,
 * or one where a MUST passed only in part.
 */
import { createHash } from 'node:crypto';
import type { RunReport } from '../runner/result.js';
import { reportVerdict } from '../runner/verdict.js';
import type { Envelope } from './dsse.js';

/** Why this report earns no certificate, or undefined when it does. */
export function notCertifiable(report: RunReport): string | undefined {
  const { verdict } = reportVerdict(report);
  if (verdict !== 'conformant') return `the verdict is ${verdict}`;
  if (report.gate) return 'the release gate judged it (baselined failures and held-back checks do not count there)';
  if (report.selection) return 'the run was a selection (--only/--exclude)';
  if (report.shard) return 'the run was one shard';
  if (report.toolError) return 'the run could not be evaluated';
  if (report.heldBack.ids.length > 0) return `checks were held back (${report.heldBack.ids.join(', ')})`;
  if (report.results.some((r) => r.suppression)) return 'a failure was accepted by a baseline';
  if (report.results.some((r) => r.level === 'MUST' && r.status !== 'pass')) return 'not every MUST passed';
  // A partial pass rests on part of its check only: it is never a full pass of a MUST.
  const partial = report.results.filter((r) => r.level === 'MUST' && r.partial?.length).map((r) => r.id);
  if (partial.length > 0) return `MUST checks passed only in part (${partial.join(', ')})`;
  if (report.evidence?.journal.truncated !== false) return 'the transcript is incomplete';
  return undefined;
}

/** The short digest a certificate quotes: SHA-256 of the attested statement, first 12 hex digits. */
export function bundleDigest(env: Envelope): string {
  return createHash('sha256').update(Buffer.from(env.payload, 'base64')).digest('hex');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function certificateOf(report: RunReport, env: Envelope, signed: boolean): { markdown: string; svg: string } {
  const digest = bundleDigest(env);
  const date = report.finishedAt.slice(0, 10);
  const musts = report.results.filter((r) => r.level === 'MUST').length;
  const partialShoulds = report.results.filter((r) => r.level === 'SHOULD' && r.status === 'pass' && r.partial?.length).length;
  const markdown = [
    `# OpenPort conformance certificate`,
    '',
    `| | |`,
    `|---|---|`,
    `| Target | ${report.target.url}${report.target.embedded ? ' (embedded reference runtime)' : ''} |`,
    `| Profile | ${report.profile} |`,
    `| Verdict | ${report.verdict} (${musts} MUST requirements passed; ${report.summary.warn} SHOULD warnings${partialShoulds ? `; ${partialShoulds} SHOULD passed in part` : ''}) |`,
    `| Tool | ${report.tool.name} ${report.tool.version} |`,
    `| Date | ${date} |`,
    `| Bundle | sha256:${digest} (${signed ? 'signed, Ed25519' : 'unsigned'}) |`,
    '',
    `Check it: \`openport-conform verify BUNDLE${signed ? ' --key PUBLIC.pem' : ''}\`; re-run it: \`openport-conform verify BUNDLE --replay URL\`.`,
    '',
    'It proves that this tool version judged every MUST of the profile passed against the target on that date, with the',
    'transcript in the bundle. It does not prove the target behaves so today, under other load or configuration, or',
    'anything the checks do not test (docs/certification.md).',
    '',
  ].join('\n');
  const left = 'OpenPort';
  const right = `${report.profile} · conformant · v${report.tool.version} · ${date} · ${digest.slice(0, 12)}`;
  const lw = 8 + left.length * 7;
  const rw = 8 + right.length * 6.5;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${lw + rw}" height="20" role="img" aria-label="${esc(`${left}: ${right}`)}">
<title>${esc(`${left}: ${right}`)}</title>
<rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${rw}" height="20" fill="#2e7d32"/>
<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">
<text x="6" y="14">${esc(left)}</text><text x="${lw + 6}" y="14">${esc(right)}</text>
</g>
</svg>
`;
  return { markdown, svg };
}
