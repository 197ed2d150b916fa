/**
 * The evidence bundle: what a certified run leaves behind, so a third party can check it without trusting
 * the vendor (verify.ts) and run it again (replay). Layout (docs/certification.md):
 *   report.json, transcript.har, requirements.json, profiles/<name>.yaml, [target.yaml], bundle.json,
 *   SHA256SUMS (every file above), attestation.dsse.json (in-toto Statement v1 in a DSSE envelope),
 *   and, only for a complete conformant run, certificate.md + badge.svg (derived, not subjects).
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ToolError } from '../kit/check.js';
import type { ReadJournal } from '../runner/journal.js';
import { loadProfile, PROFILES_DIR } from '../runner/profiles.js';
import type { CheckResult, RunReport } from '../runner/result.js';
import { BUNDLE_PATHS, pickPaths } from '../runner/options.js';
import type { RunOptions } from '../runner/run.js';
import { serverFingerprintOf, type ServedResponse, type ServerFingerprint } from '../runner/fingerprint.js';
import type { CheckDef } from '../kit/check.js';
import { envelopeOf, type Envelope } from './dsse.js';
import { EMBEDDED_ORIGIN, harOf, pathUnder, type Har } from './har.js';
import { requirementsText } from './releases.js';
import { makeDirs } from '../kit/paths.js';

export const BUNDLE_FORMAT = 'openport-conform.bundle';
export const FILES = { report: 'report.json', transcript: 'transcript.har', requirements: 'requirements.json', target: 'target.yaml', manifest: 'bundle.json', sums: 'SHA256SUMS', attestation: 'attestation.dsse.json', certificate: 'certificate.md', badge: 'badge.svg' } as const;
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const PREDICATE_TYPE = 'https://openport.dev/conformance/v1';

/**
 * The options of the run that replay must repeat: the run options the table (src/runner/options.ts) marks
 * for the bundle, by their RunOptions paths. Never a credential.
 */
export type RunRecord = Partial<Omit<RunOptions, 'checks' | 'url' | 'token' | 'adminHeaders' | 'onEvent' | 'onExchange' | 'signal' | 'journal' | 'canary'>>;

/**
 * The record of a finished run: its options where the table says so, with the effective profile, safety,
 * strictness, seed and faults the report states (the run chose the defaults the flags left open).
 */
export function recordOf(opts: Partial<RunOptions>, report: RunReport): RunRecord {
  return pickPaths({ ...opts, profile: report.profile, safety: report.safety, strict: report.strict, seed: report.seed, faults: report.target.faults }, BUNDLE_PATHS);
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: 1;
  tool: { name: string; version: string; node: string };
  run: RunRecord;
  target: { url: string; embedded: boolean; fingerprint: ServerFingerprint };
  profiles: { file: string; sha256: string }[];
  requirements: { file: string; sha256: string };
  signed: boolean;
  /**
   * What a customer can re-check with an agent token of their own (`verify --replay URL --token …`, no admin
   * rights): the requirements this run evaluated whose checks are read-only and need no admin plane.
   */
  replay: { customer: string[] };
}

export interface Predicate {
  profile: string;
  verdict: RunReport['verdict'];
  strict: boolean;
  selection: boolean;
  results: { id: string; level: string; status: CheckResult['status'] }[];
  tool: BundleManifest['tool'];
  target: BundleManifest['target'];
}

export interface Statement { _type: typeof STATEMENT_TYPE; subject: { name: string; digest: { sha256: string } }[]; predicateType: typeof PREDICATE_TYPE; predicate: Predicate }

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The origin a bundle's transcript uses for its target: the URL, or a stand-in for the embedded runtime. */
export function originOf(target: { url: string; embedded: boolean }): string {
  return target.embedded ? EMBEDDED_ORIGIN : target.url;
}

/** The server fingerprint of the transcript's responses from the target (src/runner/fingerprint.ts). */
export function fingerprintOf(har: Har, origin: string): ServerFingerprint {
  const served: ServedResponse[] = [];
  for (const e of har.log.entries) {
    const path = pathUnder(origin, e);
    if (path !== undefined) served.push({ method: e.request.method, path, status: e.response.status, body: e.response.content.text, sampled: e.response.content._elided !== undefined });
  }
  return serverFingerprintOf(served);
}

/** The requirements a customer's agent token can re-check: evaluated, read-only, and needing no admin plane. */
export function customerSubset(report: RunReport, checks: readonly Pick<CheckDef, 'id' | 'safety' | 'needs'>[]): string[] {
  const byId = new Map(checks.map((c) => [c.id, c]));
  return report.results.filter((r) => {
    const c = byId.get(r.id);
    return c !== undefined && c.safety === 'read-only' && !c.needs.includes('admin') && r.status !== 'skip';
  }).map((r) => r.id);
}

export function predicateOf(report: RunReport, m: BundleManifest): Predicate {
  return {
    profile: report.profile,
    verdict: report.verdict,
    strict: report.strict,
    selection: report.selection !== undefined,
    results: report.results.map((r) => ({ id: r.id, level: r.level, status: r.status })),
    tool: m.tool,
    target: m.target,
  };
}

/** A line of SHA256SUMS: 64 hex digits, two spaces, a file name. */
export const SUMS_LINE = /^([0-9a-f]{64}) {2}(.+)$/;

export function parseSums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = SUMS_LINE.exec(line);
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}

export function sumsText(files: Map<string, string | Buffer>): string {
  return [...files.keys()].sort().map((name) => `${sha256(files.get(name)!)}  ${name}\n`).join('');
}

export function statementOf(files: Map<string, string | Buffer>, predicate: Predicate): Statement {
  const subject = [...files.keys()].sort().map((name) => ({ name, digest: { sha256: sha256(files.get(name)!) } }));
  return { _type: STATEMENT_TYPE, subject, predicateType: PREDICATE_TYPE, predicate };
}

export interface BundleInput {
  report: RunReport;
  /** report.json exactly as the json reporter wrote it. */
  reportText: string;
  journal: ReadJournal;
  run: RunRecord;
  /** Every secret the run held: none may appear in the bundle. */
  canary: string;
  signingKeyPem?: string;
  /** The checks of the run (for the subset a customer can re-check). */
  checks: readonly Pick<CheckDef, 'id' | 'safety' | 'needs'>[];
}

/**
 * Build every file of the bundle in memory, refuse when the canary appears in any of them, then write them
 * into `dir`. Returns the files written (relative names).
 */
export async function writeBundle(dir: string, input: BundleInput): Promise<string[]> {
  const { report, journal } = input;
  if (journal.truncated) throw new ToolError(`cannot certify: the exchange journal is incomplete (${journal.end ? `cut at its byte cap of ${journal.header.maxBytes} bytes; raise --journal-max-bytes` : 'the run ended before its end line'}); a bundle needs the full transcript`, 'OPC_E_EVIDENCE_INCOMPLETE');
  const tool = { name: report.tool.name, version: report.tool.version };
  const har = harOf(journal, tool);
  const files = new Map<string, string | Buffer>();
  files.set(FILES.report, input.reportText);
  files.set(FILES.transcript, `${JSON.stringify(har, null, 2)}\n`);
  const reqText = requirementsText();
  files.set(FILES.requirements, reqText);
  const profiles: BundleManifest['profiles'] = [];
  for (const name of loadProfile(report.profile).chain) {
    const text = await readFile(join(PROFILES_DIR, `${name}.yaml`));
    files.set(`profiles/${name}.yaml`, text);
    profiles.push({ file: `profiles/${name}.yaml`, sha256: sha256(text) });
  }
  if (input.run.targetFile) files.set(FILES.target, await readFile(input.run.targetFile));
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: 1,
    tool: { ...tool, node: process.version },
    // The target file as the bundle holds it, not the path it had on the machine that ran.
    run: input.run.targetFile ? { ...input.run, targetFile: FILES.target } : input.run,
    target: { url: report.target.url, embedded: report.target.embedded, fingerprint: fingerprintOf(har, originOf(report.target)) },
    profiles,
    requirements: { file: FILES.requirements, sha256: sha256(reqText) },
    signed: input.signingKeyPem !== undefined,
    replay: { customer: customerSubset(report, input.checks) },
  };
  files.set(FILES.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  const statement = statementOf(files, predicateOf(report, manifest));
  let envelope: Envelope;
  try {
    envelope = envelopeOf(statement, input.signingKeyPem);
  } catch (e) {
    throw new ToolError(`--sign-key: cannot sign with this key (${(e as Error).message}); make one with openport-conform keygen`, 2);
  }
  const all = new Map(files);
  all.set(FILES.sums, sumsText(files));
  all.set(FILES.attestation, `${JSON.stringify(envelope, null, 2)}\n`);
  // The envelope's payload is base64: the canary must not hide in it either.
  const leaks = [...all].filter(([, text]) => text.toString().includes(input.canary)).map(([name]) => name);
  if (Buffer.from(envelope.payload, 'base64').toString().includes(input.canary)) leaks.push(`${FILES.attestation} (payload)`);
  if (leaks.length > 0) throw new ToolError(`cannot certify: the run's canary secret would be written to ${leaks.join(', ')}; no bundle was written`, 'OPC_E_CANARY_LEAK');
  for (const [name, data] of all) {
    const file = join(dir, name);
    makeDirs(dirname(file));
    await writeFile(file, data);
  }
  return [...all.keys()];
}
