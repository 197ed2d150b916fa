/**
 * Verifying a bundle offline: every digest, the signature, and that the bundle agrees with itself — the
 * verdict recomputed from the results, each result's failing exchange present in the transcript, checks
 * that can be judged again from the transcript judged again, profiles compared with this tool version's,
 * no secret-looking value in the transcript. Each broken property is named with its file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { summarize } from '../runner/runner.js';
import { reportVerdict } from '../runner/verdict.js';
import { PROFILES_DIR } from '../runner/profiles.js';
import { TOOL_VERSION } from '../kit/paths.js';
import type { CheckResult, RunReport } from '../runner/result.js';
import { statusesFor, isReasonCode } from '../protocol/codes.js';
import { AGENT_BASE, wrongMethodOnKnownRoute } from '../protocol/types.js';
import { looksSecret } from '../protocol/redact.js';
import { verifyEnvelope, type Envelope, PAYLOAD_TYPE } from './dsse.js';
import { EMBEDDED_ORIGIN, harUrl, type Har, type HarEntry } from './har.js';
import { FILES, fingerprintOf, parseSums, predicateOf, STATEMENT_TYPE, type BundleManifest, type Statement } from './bundle.js';
import { jcs } from '../protocol/hash.js';
import { certificateOf, notCertifiable } from './certificate.js';

export interface Problem { file: string; property: string; message: string }
export interface Verification {
  ok: boolean;
  problems: Problem[];
  /** What holds, or was not checked (no --key, another tool version). */
  notes: string[];
  signed: boolean;
  report?: RunReport;
  manifest?: BundleManifest;
  statement?: Statement;
}

/** Files derived from the verified bundle; not subjects of the statement. */
export const DERIVED = new Set<string>([FILES.certificate, FILES.badge]);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? listFiles(p, base) : [relative(base, p).split('\\').join('/')];
  });
}

function readJson<T>(dir: string, file: string, problems: Problem[]): T | undefined {
  const p = join(dir, file);
  if (!existsSync(p)) return void problems.push({ file, property: 'present', message: 'file missing' });
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as T;
  } catch (e) {
    return void problems.push({ file, property: 'json', message: `not JSON (${(e as Error).message})` });
  }
}

export function verifyBundle(dir: string, opts: { publicKeyPem?: string } = {}): Verification {
  const problems: Problem[] = [];
  const notes: string[] = [];
  const add = (file: string, property: string, message: string) => void problems.push({ file, property, message });
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    add('', 'present', 'not a bundle directory');
    return { ok: false, problems, notes, signed: false };
  }

  // 1. The statement, whose subjects are the files and their digests.
  const envelope = readJson<Envelope>(dir, FILES.attestation, problems);
  let statement: Statement | undefined;
  let signed = false;
  if (envelope) {
    signed = Array.isArray(envelope.signatures) && envelope.signatures.length > 0;
    try {
      statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Statement;
    } catch {
      add(FILES.attestation, 'payload', 'the DSSE payload is not a JSON statement');
    }
    if (envelope.payloadType !== PAYLOAD_TYPE) add(FILES.attestation, 'payloadType', `is ${JSON.stringify(envelope.payloadType)}, expected ${PAYLOAD_TYPE}`);
    if (statement && statement._type !== STATEMENT_TYPE) add(FILES.attestation, 'statement', `_type is ${JSON.stringify(statement._type)}, expected ${STATEMENT_TYPE}`);
  }
  const subjects = new Map((statement?.subject ?? []).map((x) => [x.name, x.digest?.sha256]));

  // 2. Digests: every listed file is there with its digest, the list is the statement's, nothing is unlisted.
  const sumsPath = join(dir, FILES.sums);
  const sums = existsSync(sumsPath) ? parseSums(readFileSync(sumsPath, 'utf8')) : new Map<string, string>();
  if (!existsSync(sumsPath)) add(FILES.sums, 'present', 'file missing');
  else {
    const lines = readFileSync(sumsPath, 'utf8').split('\n').filter((l) => l !== '').length;
    if (lines !== sums.size) add(FILES.sums, 'format', `${lines - sums.size} line(s) are not "SHA-256  name"`);
  }
  for (const [name, digest] of sums) {
    const p = join(dir, name);
    if (!existsSync(p)) add(name, 'present', `listed in ${FILES.sums} but missing`);
    else {
      const actual = sha(readFileSync(p));
      // The file agrees with the statement but not with the list: the list is what changed.
      if (actual !== digest) add(statement && actual === subjects.get(name) ? FILES.sums : name, 'digest', `SHA-256 of ${name} differs from ${FILES.sums}`);
    }
    if (statement && subjects.get(name) !== digest) add(FILES.attestation, 'subjects', `${name}: ${subjects.has(name) ? 'digest differs from' : 'missing from the subjects but listed in'} ${FILES.sums}`);
  }
  for (const name of subjects.keys()) if (!sums.has(name)) add(FILES.attestation, 'subjects', `${name} is a subject but not in ${FILES.sums}`);
  for (const name of listFiles(dir)) {
    if (!sums.has(name) && name !== FILES.sums && name !== FILES.attestation && !DERIVED.has(name)) add(name, 'listed', `not in ${FILES.sums}`);
  }

  // 3. The signature.
  if (envelope) {
    if (opts.publicKeyPem !== undefined) {
      let good = false;
      try {
        good = verifyEnvelope(envelope, opts.publicKeyPem);
      } catch (e) {
        add('--key', 'key', (e as Error).message);
      }
      if (!signed) add(FILES.attestation, 'signature', 'the bundle is unsigned');
      else if (!good) add(FILES.attestation, 'signature', 'no signature verifies with the given public key (signed with another key, or the statement was changed)');
      else notes.push('signature verified with the given key');
    } else notes.push(signed ? 'signed, but the signature was not checked (pass --key PUBLIC.pem)' : 'unsigned bundle');
  }

  // 4. Consistency of what the files say.
  const report = readJson<RunReport>(dir, FILES.report, problems);
  const manifest = readJson<BundleManifest>(dir, FILES.manifest, problems);
  const har = readJson<Har>(dir, FILES.transcript, problems);
  if (report && manifest && har) consistency(report, manifest, har, statement, add);
  if (manifest) profiles(dir, manifest, add, notes);
  if (report && envelope) certificateFiles(dir, report, envelope, signed, add);
  if (har) secretsIn(har, add);
  return { ok: problems.length === 0, problems, notes, signed, report, manifest, statement };
}

type Add = (file: string, property: string, message: string) => void;

function consistency(report: RunReport, m: BundleManifest, har: Har, statement: Statement | undefined, add: Add): void {
  const R = FILES.report;
  const results = report.results ?? [];
  // The verdict and the summary, recomputed from the results.
  const judged = reportVerdict({ ...report, results, heldBack: report.heldBack ?? { ids: [] } });
  if (judged.verdict !== report.verdict) add(R, 'verdict', `says ${report.verdict} but its results make it ${judged.verdict}`);
  if (judged.exitCode !== report.exitCode) add(R, 'exitCode', `says ${report.exitCode} but its results make it ${judged.exitCode}`);
  const summary = summarize(results, report.heldBack?.ids.length ?? 0);
  for (const [k, v] of Object.entries(summary)) if ((report.summary as Record<string, number>)[k] !== v) add(R, 'summary', `${k} is ${(report.summary as Record<string, number>)[k]} but the results count ${v}`);
  // Each result agrees with its own evidence.
  const origin = m.target.embedded ? EMBEDDED_ORIGIN : m.target.url;
  const bySeq = new Map(har.log.entries.map((e) => [e._seq, e]));
  for (const r of results) resultEvidence(r, har, bySeq, origin, add);
  for (const r of rejudge(results, har)) add(R, `results[${r.id}]`, r.message);
  // The transcript is the whole run.
  const j = report.evidence?.journal;
  if (!j) add(R, 'evidence', 'no evidence.journal: the run kept no transcript');
  else {
    if (j.truncated) add(R, 'evidence', 'the journal was cut: this run cannot be certified');
    if (j.entries !== har.log.entries.length) add(FILES.transcript, 'entries', `holds ${har.log.entries.length} entries but the run journaled ${j.entries}`);
  }
  // The manifest and the statement tell the same story as the report.
  const fp = fingerprintOf(har);
  if (jcs(fp) !== jcs(m.target?.fingerprint ?? null)) add(FILES.manifest, 'target.fingerprint', 'differs from the manifests and /healthz in the transcript');
  if (m.target?.url !== report.target.url) add(FILES.manifest, 'target.url', `is ${m.target?.url} but report.json tested ${report.target.url}`);
  if (m.run?.seed !== report.seed || m.run?.profile !== report.profile) add(FILES.manifest, 'run', 'seed or profile differs from report.json');
  if (statement && jcs(statement.predicate ?? null) !== jcs(predicateOf(report, m))) add(FILES.attestation, 'predicate', 'the signed conformance result differs from report.json and bundle.json');
}

/** The `ok` and `code` of a JSON body, or undefined when it is not a JSON object. */
function envelopeOf(text: string): { ok?: unknown; code?: unknown } | undefined {
  try {
    const j = JSON.parse(text) as unknown;
    return j !== null && typeof j === 'object' ? (j as { ok?: unknown; code?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/** The `code` of a JSON body, success or error (what a finding records as the code it observed). */
function bodyCode(text: string): string | undefined {
  const j = envelopeOf(text);
  return typeof j?.code === 'string' ? j.code : undefined;
}

/** The reason code of an error envelope. */
function envelopeCode(text: string): string | undefined {
  return envelopeOf(text)?.ok === false ? bodyCode(text) : undefined;
}

/** Is this transcript entry the exchange a result shows: same request, same status, same body (the report may cut it)? */
function sameExchange(origin: string, ex: NonNullable<CheckResult['exchange']>): (e: HarEntry) => boolean {
  const body = ex.response.body.replace(/… \(\d+ more characters\)$/, '');
  const whole = body === ex.response.body;
  // Both through URL, so the same normalisation (percent-encoding) applies to each.
  const url = harUrl(origin, ex.request.path).href;
  // A body the journal kept only a sample of (bulk traffic): by its digest when the report holds the whole
  // body, else the report's part and the sample must begin alike.
  const sameBody = (c: HarEntry['response']['content']) =>
    c._elided === undefined ? c.text.startsWith(body) : whole ? sha(Buffer.from(body, 'utf8')) === c._elided.sha256 : body.startsWith(c.text) || c.text.startsWith(body);
  return (e) => e.request.method === ex.request.method && e.request.url === url && e.response.status === ex.response.status && sameBody(e.response.content);
}

/** Does the transcript hold this exchange of a result anywhere? */
export function inTranscript(har: Har, origin: string, ex: NonNullable<CheckResult['exchange']>): boolean {
  return har.log.entries.some(sameExchange(origin, ex));
}

/**
 * A finding rests on exchanges of the transcript: each one it cites (by journal sequence number) is there,
 * the failing one is the request and response the result shows, and the status and reason code the finding
 * records are what that response carried.
 */
function resultEvidence(r: CheckResult, har: Har, bySeq: ReadonlyMap<number, HarEntry>, origin: string, add: Add): void {
  const at = `results[${r.id}]`;
  if ((r.status === 'pass' || r.status === 'skip') && (r.exchange || r.expected !== undefined || r.finding)) add(FILES.report, at, `is ${r.status} but carries a finding (expected/exchange)`);
  if ((r.status === 'fail' || r.status === 'warn') && !r.message) add(FILES.report, at, `is ${r.status} without a finding`);
  const cited = r.finding?.exchanges ?? [];
  for (const seq of cited) if (!bySeq.has(seq)) add(FILES.transcript, at, `the finding rests on exchange ${seq}, which is not in the transcript`);
  const failing = cited.length > 0 ? bySeq.get(cited[0]!) : undefined;
  const ex = r.exchange;
  if (ex) {
    const same = sameExchange(origin, ex);
    // Cited: that entry must be the one shown; a report of a run that cited none is searched.
    const found = failing ? same(failing) : cited.length === 0 && har.log.entries.some(same);
    if (!found) add(FILES.transcript, at, `the failing exchange ${ex.request.method} ${ex.request.path} → HTTP ${ex.response.status} is not in the transcript${failing ? ` as entry ${cited[0]}` : ''}`);
  }
  const actual = r.finding?.actual;
  if (failing && actual) {
    const code = bodyCode(failing.response.content.text);
    if (actual.status !== undefined && actual.status !== failing.response.status) add(FILES.report, at, `finding.actual.status ${actual.status} disagrees with its exchange ${cited[0]} (HTTP ${failing.response.status})`);
    if (actual.code !== undefined && actual.code !== code) add(FILES.report, at, `finding.actual.code ${actual.code} disagrees with its exchange ${cited[0]} (${code ?? 'no reason code'})`);
  }
}

/**
 * Checks judged again offline, from the transcript alone: ENV-003 (every error's HTTP status is its
 * reason code's registry status) — a pass the transcript contradicts is inconsistent.
 */
function rejudge(results: readonly CheckResult[], har: Har): { id: string; message: string }[] {
  const out: { id: string; message: string }[] = [];
  const env003 = results.find((r) => r.id === 'ENV-003');
  if (env003?.status === 'pass') {
    for (const e of har.log.entries) {
      const code = envelopeCode(e.response.content.text);
      // The transcript names no read routes: a 405 on one of them is taken as a wrong method on a known route.
      const path = new URL(e.request.url).pathname;
      const allowed = isReasonCode(code) ? statusesFor(code, { wrongMethod: wrongMethodOnKnownRoute(e.request.method, path) || (path.startsWith(`${AGENT_BASE}/`) && e.request.method !== 'GET') }) : [];
      if (code && isReasonCode(code) && !allowed.includes(e.response.status)) {
        out.push({ id: 'ENV-003', message: `is pass, but transcript entry ${e._seq} (${e.request.method} ${path}) answered ${code} with HTTP ${e.response.status}, not ${allowed.join(' or ')}` });
        break;
      }
    }
  }
  return out;
}

function profiles(dir: string, m: BundleManifest, add: Add, notes: string[]): void {
  if (m.tool?.version !== TOOL_VERSION) return void notes.push(`made by another tool version (${m.tool?.version}; this is ${TOOL_VERSION}): profile digests not compared with this version's`);
  for (const p of m.profiles ?? []) {
    const shipped = join(PROFILES_DIR, p.file.replace(/^profiles\//, ''));
    if (!existsSync(shipped)) add(p.file, 'profile', `this tool version ships no ${p.file}`);
    else if (sha(readFileSync(shipped)) !== p.sha256) add(p.file, 'profile', `digest differs from the ${p.file} openport-conform ${TOOL_VERSION} ships`);
    if (existsSync(join(dir, p.file)) && sha(readFileSync(join(dir, p.file))) !== p.sha256) add(FILES.manifest, 'profiles', `${p.file} digest differs from the bundled file`);
  }
}

/** Anything the one scrubber would still redact (agent tokens, bearer credentials, credential-named fields) is a leak. */
function secretsIn(har: Har, add: Add): void {
  for (const e of har.log.entries) {
    const texts = [e.request.url, e.request.postData?.text ?? '', e.response.content.text, ...e.request.headers.map((h) => h.value), ...e.response.headers.map((h) => h.value)];
    if (texts.some(looksSecret)) return void add(FILES.transcript, 'secrets', `entry ${e._seq} holds a secret-looking value (${e.request.method} ${new URL(e.request.url).pathname})`);
  }
}

/** certificate.md and badge.svg, when present, are exactly what this bundle earns (and it must earn them). */
function certificateFiles(dir: string, report: RunReport, envelope: Envelope, signed: boolean, add: Add): void {
  const present = [FILES.certificate, FILES.badge].filter((f) => existsSync(join(dir, f)));
  if (present.length === 0) return;
  const why = notCertifiable(report);
  if (why) return void present.forEach((f) => add(f, 'certificate', `present, but the run earns no certificate: ${why}`));
  const { markdown, svg } = certificateOf(report, envelope, signed);
  if (present.includes(FILES.certificate) && readFileSync(join(dir, FILES.certificate), 'utf8') !== markdown) add(FILES.certificate, 'certificate', 'differs from the certificate this bundle yields');
  if (present.includes(FILES.badge) && readFileSync(join(dir, FILES.badge), 'utf8') !== svg) add(FILES.badge, 'certificate', 'differs from the badge this bundle yields');
}
