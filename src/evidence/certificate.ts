/**
 * The certificate of a verified bundle: certificate.md and badge.svg, only for a complete conformant run
 * of a whole profile — never a selection, a shard, an incomplete run, a run whose failure a baseline accepted,
 * or one where a MUST passed only in part.
 */
import { createHash } from 'node:crypto';
import type { RunReport } from '../runner/result.js';
import { reportVerdict } from '../runner/verdict.js';
import type { Envelope } from './dsse.js';
import type { BundleManifest } from './bundle.js';
import { displayMarkdown } from '../report/text.js';

/**
 * Requirements outside a certified run: an HTTP run skips the MCP binding's own rules (another binding's,
 * outside its verdict); an MCP run, which skips the HTTP binding's, never certifies.
 */
function outsideRun(report: RunReport): readonly string[] {
  return report.binding?.name === 'http' ? report.binding.notApplicable : [];
}

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
  // A check the run could have made with a flag (a wait on the server's clock without --long-waits) is a MUST not run.
  const waits = report.results.filter((r) => r.level === 'MUST' && r.status === 'skip' && r.hint !== undefined && report.binding?.notApplicable.includes(r.id));
  if (waits.length > 0) return `${waits.map((r) => r.id).join(', ')} did not run (add ${[...new Set(waits.map((r) => r.hint))].join(' ')})`;
  const outside = outsideRun(report);
  if (report.results.some((r) => r.level === 'MUST' && r.status !== 'pass' && !outside.includes(r.id))) return 'not every MUST passed';
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

/**
 * The certificate states what was done and by whom, and what each step proves (the trust model of
 * docs/certification.md): the run and who signed it, the offline verification it passed, and the replay it
 * did not have — with the subset a customer's own agent token can re-check.
 */
export function certificateOf(report: RunReport, m: Pick<BundleManifest, 'target' | 'replay'>, env: Envelope): { markdown: string; svg: string } {
  const digest = bundleDigest(env);
  const date = report.finishedAt.slice(0, 10);
  // Only what ran counts: another binding's rules, outside the run, are named apart.
  const outside = outsideRun(report);
  const musts = report.results.filter((r) => r.level === 'MUST' && r.status === 'pass').length;
  const notRun = outside.length ? `; ${outside.length} outside this run: ${outside.join(', ')}` : '';
  const partialShoulds = report.results.filter((r) => r.level === 'SHOULD' && r.status === 'pass' && r.partial?.length).length;
  const keyids = env.signatures.map((s) => s.keyid);
  const signer = keyids.length ? `Ed25519 key ${keyids.join(', ')} (SHA-256 of the public key)` : 'nobody: the bundle is unsigned';
  const customer = m.replay.customer;
  const markdown = [
    `# OpenPort conformance certificate`,
    '',
    `| | |`,
    `|---|---|`,
    `| Target | ${displayMarkdown(report.target.url)}${report.target.embedded ? ' (embedded reference runtime)' : ''} |`,
    `| Server fingerprint | sha256:${m.target.fingerprint.digest} (tools ${m.target.fingerprint.tools.slice(0, 12)}, replies ${m.target.fingerprint.replies.slice(0, 12)}, /healthz ${m.target.fingerprint.healthz?.slice(0, 12) ?? 'not read'}) |`,
    `| Profile | ${report.profile} |`,
    `| Verdict | ${report.verdict} (${musts} MUST requirements passed; ${report.summary.warn} SHOULD warnings${partialShoulds ? `; ${partialShoulds} SHOULD passed in part` : ''}${notRun}) |`,
    `| Tool | ${displayMarkdown(`${report.tool.name} ${report.tool.version}`)} |`,
    `| Date | ${date} |`,
    `| Bundle | sha256:${digest} |`,
    `| Signed by | ${signer} |`,
    '',
    '## What was done, by whom, and what it proves',
    '',
    `- **Run**: \`certify\` judged every requirement of the profile${outside.length ? ' that applies to this run' : ''} against the target on ${date}, run by whoever holds the signing key. The transcript in the bundle is what the judgement rests on.`,
    keyids.length
      ? '- **Signature**: proves that the holder of that key published exactly this bundle and that nothing changed since. It does not say who holds the key: trust in the public key comes from where you got it.'
      : '- **Signature**: none. Nothing proves who made this bundle; anyone could have.',
    `- **Offline verification** (passed when the certificate was written; repeat it: \`openport-conform verify BUNDLE${keyids.length ? ' --key PUBLIC.pem' : ' --allow-unsigned'}\`): every digest, a result for every requirement of the profile, each result as the transcript recorded it and resting on all its exchanges, the journal-wide checks judged again from the transcript, every exchange sent to this target, the requirement table and profiles of a known release. It proves the bundle agrees with itself; not that the transcript is what the server answered.`,
    `- **Replay**: not part of this certificate; only a replay proves the server behaves so now. A customer can re-check ${customer.length} of its requirements with an agent token of their own (no admin rights): \`openport-conform verify BUNDLE --replay URL --token-file TOKEN\`${customer.length ? ` (${customer.join(', ')})` : ''}. The rest need the admin plane: a witnessed run (docs/certification.md).`,
    '- **Nothing proves** that the target behaves so under other load, data, configuration or personas, anything the checks do not test, or that the server you use is the build certified (compare its server fingerprint with that of a run made alike).',
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
