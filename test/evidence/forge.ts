/**
 * A forger's toolkit, for tests that prove verify refuses forgeries: copy a bundle, change its report,
 * manifest or transcript, then recompute every digest and the statement and sign with the forger's own key
 * — everything a dishonest vendor can do with the tool's own modules.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILES, fingerprintOf, originOf, parseSums, predicateOf, statementOf, sumsText, type BundleManifest } from '../../src/evidence/bundle.js';
import { envelopeOf } from '../../src/evidence/dsse.js';
import type { Har } from '../../src/evidence/har.js';
import type { RunReport } from '../../src/runner/result.js';
import { summarize } from '../../src/runner/runner.js';
import { reportVerdict } from '../../src/runner/verdict.js';

export interface Forgery { report: RunReport; manifest: BundleManifest; har: Har; files: Map<string, string | Buffer> }

/**
 * Copy `dir` into a new directory under `work`, let `change` edit it, then make it consistent as a forger
 * would: summary, verdict and exit code recomputed from the results, the fingerprint from the transcript,
 * every digest, the statement, and a signature with `forgerKeyPem`. Returns the forged bundle's directory.
 */
export function forge(work: string, dir: string, forgerKeyPem: string, change: (f: Forgery) => void): string {
  const to = mkdtempSync(join(work, 'forged-'));
  cpSync(dir, to, { recursive: true });
  const read = <T>(name: string) => JSON.parse(readFileSync(join(to, name), 'utf8')) as T;
  const sums = parseSums(readFileSync(join(to, FILES.sums), 'utf8'));
  const files = new Map<string, string | Buffer>([...sums.keys()].map((n) => [n, readFileSync(join(to, n))]));
  const f: Forgery = { report: read<RunReport>(FILES.report), manifest: read<BundleManifest>(FILES.manifest), har: read<Har>(FILES.transcript), files };
  change(f);
  const { report, manifest, har } = f;
  report.summary = summarize(report.results, report.heldBack.ids.length);
  const judged = reportVerdict(report);
  report.verdict = judged.verdict;
  report.exitCode = judged.exitCode;
  manifest.target.fingerprint = fingerprintOf(har, originOf(manifest.target));
  files.set(FILES.report, `${JSON.stringify(report, null, 2)}\n`);
  files.set(FILES.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  files.set(FILES.transcript, `${JSON.stringify(har, null, 2)}\n`);
  for (const [name, data] of files) writeFileSync(join(to, name), data);
  writeFileSync(join(to, FILES.sums), sumsText(files));
  writeFileSync(join(to, FILES.attestation), JSON.stringify(envelopeOf(statementOf(files, predicateOf(report, manifest)), forgerKeyPem)));
  return to;
}

/** A result turned into a pass as a forger writes one: no finding, nothing that says it failed. */
export function passed(r: RunReport['results'][number]): void {
  r.status = 'pass';
  for (const k of ['message', 'expected', 'actual', 'exchange', 'reproduce', 'finding'] as const) delete r[k];
}
