/**
 * Verifying a bundle offline: every digest, the signature, and that the bundle agrees with itself and with
 * the release it names — the verdict recomputed from the results; a result for every requirement of the
 * claimed profile; each result as the transcript recorded it, resting on all its own exchanges; the
 * journal-wide checks judged again from the transcript; every exchange sent to the bundle's target; the
 * requirement table and profiles those of a known release; no secret-looking value in the transcript. Each
 * broken property is named with its file and what it contradicts. What offline verification cannot prove
 * (a transcript forged consistently) is replay's part (docs/certification.md).
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { summaryContradictions } from '../runner/runner.js';
import { reportVerdict } from '../runner/verdict.js';
import type { CheckResult, RunReport } from '../runner/result.js';
import { unaccounted } from '../runner/selection.js';
import { bundleRecordProblems } from '../runner/options.js';
import type { Requirement } from '../protocol/requirements.js';
import { looksSecret } from '../protocol/redact.js';
import { onProtocolPlane, RESPONSE_RULES, type ResponseRuleId } from '../kit/response-rules.js';
import { verifySignatures, type Envelope, PAYLOAD_TYPE } from './dsse.js';
import { exchangeOfEntry, harUrl, pathUnder, type Har, type HarCheck, type HarEntry } from './har.js';
import { customerSubset, FILES, fingerprintOf, originOf, parseSums, predicateOf, SUMS_LINE, STATEMENT_TYPE, type BundleManifest, type Statement } from './bundle.js';
import { jcs } from '../protocol/hash.js';
import { displayText } from '../report/text.js';
import { certificateOf, notCertifiable } from './certificate.js';
import { knownReleases, type ReleaseDigests } from './releases.js';

export interface Problem { file: string; property: string; message: string }
export interface Verification {
  ok: boolean;
  problems: Problem[];
  /** What holds, or was not checked (no --key). */
  notes: string[];
  signed: boolean;
  /** True when a signature was verified with the given key; false when no key was given (the signer is unchecked). */
  signerChecked: boolean;
  /** The key ids of the envelope's signatures (SHA-256 of each signer's public key): who signed. */
  signers: string[];
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

/** The largest file read whole: what one JavaScript string can hold. */
const MAX_FILE_BYTES = 0x1fffffe8;

/**
 * Entries certify never writes (it writes regular files and folders): a symbolic link, a pipe or device, a
 * name that is not UTF-8, a file too large to read. Each is a problem, and such a bundle is read no further:
 * a link may point anywhere, a pipe would block the verifier.
 */
function strangeEntries(dir: string, add: Add, base = dir): void {
  for (const raw of readdirSync(dir, { encoding: 'buffer' })) {
    const name = raw.toString('utf8');
    const shown = relative(base, join(dir, name)).split('\\').join('/');
    if (!Buffer.from(name, 'utf8').equals(raw)) {
      add(shown, 'name', 'not a UTF-8 file name');
      continue;
    }
    const st = lstatSync(join(dir, name));
    if (st.isSymbolicLink()) add(shown, 'type', 'a symbolic link (a bundle holds regular files and folders only)');
    else if (st.isDirectory()) strangeEntries(join(dir, name), add, base);
    else if (!st.isFile()) add(shown, 'type', 'not a regular file (a bundle holds regular files and folders only)');
    else if (st.size > MAX_FILE_BYTES) add(shown, 'size', `${st.size} bytes: more than a bundle file can hold to be verified (${MAX_FILE_BYTES})`);
  }
}

/** The envelope certify writes: a payload, its type, and signatures each naming a key id (64 hex digits). */
function envelopeProblem(e: unknown): string | undefined {
  const env = e as Partial<Envelope> | null;
  if (typeof env !== 'object' || env === null || Array.isArray(env)) return 'not a DSSE envelope (a JSON object)';
  if (typeof env.payload !== 'string' || typeof env.payloadType !== 'string') return 'not a DSSE envelope (payload and payloadType strings)';
  if (!Array.isArray(env.signatures)) return 'not a DSSE envelope (a signatures array)';
  const bad = env.signatures.findIndex((s) => typeof s?.sig !== 'string' || typeof s?.keyid !== 'string' || !/^[0-9a-f]{64}$/.test(s.keyid));
  return bad >= 0 ? `signature ${bad + 1} is not {keyid: 64 hex digits, sig: base64}` : undefined;
}

/** A name that leads out of the bundle's folder (absolute, or through `..`). */
const outsideBundle = (name: string) => isAbsolute(name) || name.split(/[\\/]/).includes('..');

/** The bytes of a regular file of the bundle, or undefined (a problem said) when it is missing or not a file. */
function readEntry(dir: string, file: string, problems: Problem[]): Buffer | undefined {
  const p = join(dir, file);
  if (!existsSync(p)) return void problems.push({ file, property: 'present', message: 'file missing' });
  if (!statSync(p).isFile()) return void problems.push({ file, property: 'type', message: 'not a regular file' });
  return readFileSync(p);
}

/** A JSON object file of the bundle: anything else (`null`, an array, a number) is a problem, never a file to skip. */
function readJson<T>(dir: string, file: string, problems: Problem[]): T | undefined {
  const bytes = readEntry(dir, file, problems);
  if (bytes === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    return void problems.push({ file, property: 'json', message: `not JSON (${(e as Error).message})` });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return void problems.push({ file, property: 'shape', message: `not a JSON object (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})` });
  return value as T;
}

/** The checks' facts the customer subset is made of (bundle.ts customerSubset). */
type CustomerChecks = Parameters<typeof customerSubset>[1];

/** With `checks` (those of this release), bundle.json's customer subset is recomputed and compared too. */
export function verifyBundle(dir: string, opts: { publicKeyPem?: string; checks?: CustomerChecks } = {}): Verification {
  const problems: Problem[] = [];
  const notes: string[] = [];
  const add = (file: string, property: string, message: string) => void problems.push({ file, property, message });
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    add('', 'present', 'not a bundle directory');
    return { ok: false, problems, notes, signed: false, signerChecked: false, signers: [] };
  }
  strangeEntries(dir, add);
  if (problems.length > 0) return { ok: false, problems, notes, signed: false, signerChecked: false, signers: [] };

  // 1. The statement, whose subjects are the files and their digests.
  const read = readJson<Envelope>(dir, FILES.attestation, problems);
  const shapeProblem = read === undefined ? undefined : envelopeProblem(read);
  if (shapeProblem) add(FILES.attestation, 'shape', shapeProblem);
  const envelope = shapeProblem ? undefined : read;
  let statement: Statement | undefined;
  let signed = false;
  let signerChecked = false;
  if (envelope) {
    signed = Array.isArray(envelope.signatures) && envelope.signatures.length > 0;
    // Node's base64 decoder skips what is not base64 (junk, line breaks, the URL alphabet): the payload must be
    // written exactly as certify writes it, so that its digest is the one the certificate names.
    if (Buffer.from(envelope.payload, 'base64').toString('base64') !== envelope.payload) add(FILES.attestation, 'payload', 'the DSSE payload is not base64 as certify writes it (standard alphabet, padded, nothing else)');
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
  const sumsText = readEntry(dir, FILES.sums, problems)?.toString('utf8');
  const sums = sumsText === undefined ? new Map<string, string>() : parseSums(sumsText);
  if (sumsText !== undefined) {
    const lines = sumsText.split('\n').filter((l) => l !== '');
    const wellFormed = lines.filter((l) => SUMS_LINE.test(l)).length;
    if (lines.length !== wellFormed) add(FILES.sums, 'format', `${lines.length - wellFormed} line(s) are not "SHA-256  name"`);
    if (wellFormed !== sums.size) add(FILES.sums, 'format', `${wellFormed - sums.size} line(s) name a file listed before`);
  }
  // Only names of the bundle's own regular files are read: a name with `..`, an absolute one or a folder is
  // a problem of the list (it is not signed), never a path to follow out of the bundle.
  const inBundle = new Set(listFiles(dir));
  for (const [name, digest] of sums) {
    if (!inBundle.has(name)) add(name, 'present', `listed in ${FILES.sums} but ${outsideBundle(name) ? 'a path outside the bundle' : existsSync(join(dir, name)) ? 'not a file of the bundle' : 'missing'}`);
    else {
      const actual = sha(readFileSync(join(dir, name)));
      // The file agrees with the statement but not with the list: the list is what changed.
      if (actual !== digest) add(statement && actual === subjects.get(name) ? FILES.sums : name, 'digest', `SHA-256 of ${name} differs from ${FILES.sums}`);
    }
    if (statement && subjects.get(name) !== digest) add(FILES.attestation, 'subjects', `${name}: ${subjects.has(name) ? 'digest differs from' : 'missing from the subjects but listed in'} ${FILES.sums}`);
  }
  for (const name of subjects.keys()) if (!sums.has(name)) add(FILES.attestation, 'subjects', `${name} is a subject but not in ${FILES.sums}`);
  for (const name of listFiles(dir)) {
    if (!sums.has(name) && name !== FILES.sums && name !== FILES.attestation && !DERIVED.has(name)) add(name, 'listed', `not in ${FILES.sums}`);
  }

  // 3. The signature. With a key, every signature must be that key's and name it: a key id is the signer's
  // word only once its signature verifies, and certificate.md shows the key ids.
  let signers = (envelope?.signatures ?? []).map((x) => x.keyid);
  if (envelope) {
    if (opts.publicKeyPem !== undefined) {
      let checked: ReturnType<typeof verifySignatures> = [];
      try {
        checked = verifySignatures(envelope, opts.publicKeyPem);
      } catch (e) {
        add('--key', 'key', (e as Error).message);
      }
      if (!signed) add(FILES.attestation, 'signature', 'the bundle is unsigned');
      else if (checked.every((c) => !c.verifies)) {
        // Key ids said: the reader tells "another key" (they differ) from "the statement was changed" (one matches).
        const ids = `signed by key id ${[...new Set(checked.map((c) => `${c.keyid.slice(0, 16)}…`))].join(', ')}; the given key's is ${checked[0]!.given.slice(0, 16)}…`;
        add(FILES.attestation, 'signature', `no signature verifies with the given public key (signed with another key, or the statement was changed: ${ids})`);
      }
      else {
        checked.forEach((c, i) => {
          if (!c.verifies) add(FILES.attestation, 'signature', `signature ${i + 1} (key id ${c.keyid.slice(0, 16)}…) does not verify with the given public key`);
          else if (!c.named) add(FILES.attestation, 'signature', `signature ${i + 1} verifies with the given key but names key id ${c.keyid.slice(0, 16)}…, not the given key's ${c.given.slice(0, 16)}…`);
        });
        signerChecked = checked.every((c) => c.verifies && c.named);
        if (signerChecked) notes.push('signature verified with the given key');
        signers = [...new Set(checked.map((c) => c.given))];
      }
    } else notes.push(signed ? 'signed, but the signature was not checked (pass --key PUBLIC.pem)' : 'unsigned bundle');
  } else if (read !== undefined && opts.publicKeyPem !== undefined) add(FILES.attestation, 'signature', 'no signature could be checked: the envelope is not one certify writes');

  // 4. Consistency of what the files say.
  const report = readJson<RunReport>(dir, FILES.report, problems);
  const manifest = readJson<BundleManifest>(dir, FILES.manifest, problems);
  const har = readJson<Har>(dir, FILES.transcript, problems);
  // A file that parses but lacks the shape a bundle writes (an edit, a flipped byte) is a problem of that
  // file, never a crash of the verifier: each step that reads it is judged apart.
  const guarded = (file: string, step: () => void) => {
    try {
      step();
    } catch (e) {
      add(file, 'shape', `not as a bundle writes it: ${(e as Error).message}`);
    }
  };
  let rel: ReturnType<typeof release> | undefined;
  if (manifest) guarded(FILES.manifest, () => (rel = release(dir, manifest, add)));
  if (report && manifest && har) guarded(FILES.report, () => consistency(report, manifest, har, statement, opts.checks, add));
  if (report && manifest && rel) guarded(FILES.report, () => completeness(dir, report, manifest, rel!, add));
  if (report && manifest && har) guarded(FILES.transcript, () => transcriptRecords(report, manifest, har, add));
  if (report && manifest && envelope) guarded(FILES.report, () => certificateFiles(dir, report, manifest, envelope, signed, add));
  // bundle.json says whether certify signed it: a signature stripped afterwards is not an unsigned bundle.
  if (manifest && envelope && manifest.signed === true && !signed) add(FILES.attestation, 'signature', 'bundle.json says the bundle was signed, but the envelope holds no signature');
  if (har) guarded(FILES.transcript, () => secretsIn(har, add));
  return { ok: problems.length === 0, problems, notes, signed, signerChecked, signers, report, manifest, statement };
}

type Add = (file: string, property: string, message: string) => void;

function consistency(report: RunReport, m: BundleManifest, har: Har, statement: Statement | undefined, checks: CustomerChecks | undefined, add: Add): void {
  const R = FILES.report;
  const results = report.results ?? [];
  // The verdict and the summary, recomputed from the results.
  const judged = reportVerdict({ ...report, results, heldBack: report.heldBack ?? { ids: [] } });
  if (judged.verdict !== report.verdict) add(R, 'verdict', `says ${report.verdict} but its results make it ${judged.verdict}`);
  if (judged.exitCode !== report.exitCode) add(R, 'exitCode', `says ${report.exitCode} but its results make it ${judged.exitCode}`);
  for (const m of summaryContradictions(report)) add(R, 'summary', m);
  // Each result agrees with its own evidence.
  const origin = originOf(m.target ?? { url: '', embedded: false });
  const bySeq = new Map(har.log.entries.map((e) => [e._seq, e]));
  for (const r of results) resultEvidence(r, har, bySeq, origin, add);
  // Every exchange went to the bundle's target: a transcript of another server is not evidence about this one.
  const elsewhere = har.log.entries.filter((e) => pathUnder(origin, e) === undefined);
  if (elsewhere.length > 0) add(FILES.transcript, 'hosts', `${elsewhere.length} of ${har.log.entries.length} entries were sent to another host than the bundle's target ${m.target?.url} (entry ${elsewhere[0]!._seq}: ${new URL(elsewhere[0]!.request.url).origin})`);
  // The transcript is the whole run.
  const j = report.evidence?.journal;
  if (!j) add(R, 'evidence', 'no evidence.journal: the run kept no transcript');
  else {
    if (j.truncated) add(R, 'evidence', 'the journal was cut: this run cannot be certified');
    if (j.entries !== har.log.entries.length) add(FILES.transcript, 'entries', `holds ${har.log.entries.length} entries but the run journaled ${j.entries}`);
  }
  // The manifest and the statement tell the same story as the report.
  if (jcs(fingerprintOf(har, origin)) !== jcs(m.target?.fingerprint ?? null)) add(FILES.manifest, 'target.fingerprint', 'differs from the server fingerprint of the transcript (its manifests, replies and /healthz)');
  if (m.target?.url !== report.target.url) add(FILES.manifest, 'target.url', `is ${m.target?.url} but report.json tested ${report.target.url}`);
  if (m.run?.seed !== report.seed || m.run?.profile !== report.profile) add(FILES.manifest, 'run', 'seed or profile differs from report.json');
  for (const p of bundleRecordProblems(m.run)) add(FILES.manifest, 'run', p);
  // The customer's subset is the bundle's word only where it is what the run's results make it.
  if (checks) {
    const subset = customerSubset(report, checks);
    if (jcs(m.replay?.customer ?? null) !== jcs(subset)) add(FILES.manifest, 'replay.customer', `is not the requirements of this run an agent token alone can re-check (${subset.length}: read-only, no admin plane, evaluated)`);
  }
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

/** Is this transcript entry the exchange a result shows: same request, same status, same body (the report may cut it)? */
function sameExchange(origin: string, ex: NonNullable<CheckResult['exchange']>): (e: HarEntry) => boolean {
  const body = ex.response.body.replace(/… \(\d+ more characters\)$/, '');
  const whole = body === ex.response.body;
  // Both through URL, so the same normalisation (percent-encoding) applies to each.
  const url = harUrl(origin, ex.request.path).href;
  // A body the journal kept only a sample of (bulk traffic): by its digest when the report holds the whole
  // body, else the report's part and the sample must begin alike.
  // The report shows a body as displayText cleaned it (src/report/text.ts: a control character as "?", a
  // bidirectional mark as "⟨U+200F⟩"), the transcript as the server sent it: the transcript's side is cleaned
  // the same way (character by character, so a prefix stays a prefix). A cleaned whole body no longer has the
  // digest of the bytes sent; it is held to the sample then.
  const marked = /⟨U\+[0-9A-F]{4}⟩/.test(body);
  const sameBody = (c: HarEntry['response']['content']) => {
    const sent = displayText(c.text);
    if (c._elided === undefined) return sent.startsWith(body);
    const begins = body.startsWith(sent) || sent.startsWith(body);
    // Only a body cleaning changed (a mark shown, or a control in the sample) is excused its digest.
    return whole ? sha(Buffer.from(body, 'utf8')) === c._elided.sha256 || ((marked || sent !== c.text) && begins) : begins;
  };
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
    // A bulk body the journal kept only a sample of carries the envelope's code beside the sample.
    const sentCode = failing.response.content._envelope?.code ?? bodyCode(failing.response.content.text);
    const code = sentCode === undefined ? undefined : displayText(sentCode);
    if (actual.status !== undefined && actual.status !== failing.response.status) add(FILES.report, at, `finding.actual.status ${actual.status} disagrees with its exchange ${cited[0]} (HTTP ${failing.response.status})`);
    if (actual.code !== undefined && actual.code !== code) add(FILES.report, at, `finding.actual.code ${actual.code} disagrees with its exchange ${cited[0]} (${code ?? 'no reason code'})`);
  }
}

/**
 * The release the bundle names: a version this verify knows (profiles/releases.json), whose requirement
 * table and profile files the bundle holds byte for byte. An unknown version is refused: naming one must not
 * switch the comparison off.
 */
function release(dir: string, m: BundleManifest, add: Add): ReleaseDigests | undefined {
  const version = m.tool?.version;
  const releases = knownReleases();
  const rel = releases[version];
  if (!rel) return void add(FILES.manifest, 'tool.version', `${JSON.stringify(version)} is not a release this verify knows (${Object.keys(releases).join(', ')}): its requirement table and profiles cannot be checked, so the bundle is refused`);
  // A name bundle.json gives is read only when it is a regular file inside the bundle.
  const bundled = (file: string) => (typeof file === 'string' && !outsideBundle(file) && existsSync(join(dir, file)) && statSync(join(dir, file)).isFile() ? sha(readFileSync(join(dir, file))) : undefined);
  // A file that is not there is called missing, not one that differs.
  const requirements = bundled(FILES.requirements);
  if (requirements !== rel.requirements) add(FILES.requirements, 'release', requirements === undefined ? 'missing' : `differs from the requirement table openport-conform ${version} ships`);
  for (const p of m.profiles ?? []) {
    const digest = bundled(p.file);
    if (digest !== p.sha256) add(FILES.manifest, 'profiles', `${p.file} ${digest === undefined ? 'is missing' : 'digest differs from the bundled file'}`);
  }
  return rel;
}

/**
 * The report covers the whole profile it claims: a result for every requirement of the profile's chain (or
 * the requirement held back by --safety) — of the selection or shard, when it says it was one; and no result
 * outside the profile.
 */
function completeness(dir: string, report: RunReport, m: BundleManifest, rel: ReleaseDigests, add: Add): void {
  const profile = rel.profiles[report.profile];
  if (!profile) return void add(FILES.report, 'profile', `${JSON.stringify(report.profile)} is not a profile of openport-conform ${m.tool.version}`);
  for (const name of profile.chain) {
    const listed = (m.profiles ?? []).find((p) => p.file === `profiles/${name}.yaml`);
    if (!listed) add(FILES.manifest, 'profiles', `profile ${report.profile} extends ${name}, but the bundle holds no profiles/${name}.yaml`);
    else if (listed.sha256 !== rel.profiles[name]?.sha256) add(listed.file, 'release', `differs from the ${listed.file} openport-conform ${m.tool.version} ships`);
  }
  let table: Requirement[];
  try {
    table = JSON.parse(readFileSync(join(dir, FILES.requirements), 'utf8')) as Requirement[];
  } catch {
    return; // its absence or digest is already a problem
  }
  const required = table.filter((r) => profile.chain.includes(r.layer)).map((r) => r.id);
  const shard = report.shard;
  // One shard holds the requirements whose id hashes to it (merge combines the pieces).
  const { wanted, missing } = unaccounted(report, required);
  if (missing.length > 0) add(FILES.report, 'results', `profile ${report.profile}${report.selection ? ' (the selection it names)' : ''}${shard ? ` (shard ${shard.index}/${shard.count})` : ''} has ${wanted.length} requirements, but report.json holds no result for ${missing.length}: ${missing.join(', ')} — an incomplete report, never a certificate`);
  const outside = (report.results ?? []).filter((r) => !required.includes(r.id)).map((r) => r.id);
  if (outside.length > 0) add(FILES.report, 'results', `results for requirements outside profile ${report.profile}: ${outside.join(', ')}`);
}

/** The requirements whose checks judge every response of the run, and so can be judged again from the transcript. */
const JOURNAL_WIDE = Object.keys(RESPONSE_RULES) as ResponseRuleId[];

/**
 * Requirements that forbid a 5xx on every request their check sends (admin routes, malformed bodies,
 * generated input, the fuzz corpus): a pass among whose own exchanges the transcript holds a 5xx is
 * contradicted by its own evidence.
 */
const NEVER_5XX = new Set(['ENV-007', 'ENV-008', 'FUZZ-001', 'FUZZ-008']);

/**
 * Each result against the transcript's record of its check: the status the run decided, every exchange the
 * check sent (steps 1..n, so a pass whose exchanges are missing is not a pass), and for the journal-wide
 * checks, their rule applied again to every response the check judged.
 */
function transcriptRecords(report: RunReport, m: BundleManifest, har: Har, add: Add): void {
  const T = FILES.transcript;
  const records = har.log._checks;
  if (!Array.isArray(records)) return void add(T, 'checks', 'holds no record of the checks the run made (log._checks): no result can be held to it');
  const byId = new Map<string, HarCheck>(records.map((c) => [c.check, c]));
  const steps = new Map<string, Set<number>>();
  for (const e of har.log.entries) if (e._check !== undefined) (steps.get(e._check) ?? steps.set(e._check, new Set()).get(e._check)!).add(e._step ?? 0);
  const results = report.results ?? [];
  const resultIds = new Set(results.map((r) => r.id));
  for (const c of records) if (!resultIds.has(c.check)) add(FILES.report, 'results', `holds no result for ${c.check}, which the transcript records as ${c.status}`);
  const origin = originOf(m.target);
  for (const r of results) {
    const at = `results[${r.id}]`;
    const c = byId.get(r.id);
    if (!c) {
      add(T, at, `report.json says ${r.id} is ${r.status}, but the transcript holds no record of that check`);
      continue;
    }
    if (c.status !== r.status) add(FILES.report, at, `is ${r.status}, but the transcript records ${r.id} as ${c.status}${c.exchanges.length ? ` (its finding rests on entry ${c.exchanges[0]})` : ''}`);
    else if (jcs(c.exchanges) !== jcs(r.finding?.exchanges ?? [])) add(FILES.report, at, `finding.exchanges ${jcs(r.finding?.exchanges ?? [])} differ from the transcript's record of ${r.id} (${jcs(c.exchanges)})`);
    const seen = steps.get(r.id) ?? new Set<number>();
    const absent = Array.from({ length: c.steps }, (_, i) => i + 1).filter((n) => !seen.has(n));
    const extra = [...seen].filter((n) => !(n >= 1 && n <= c.steps));
    if (absent.length > 0) add(T, at, `${r.id} is ${r.status} on ${c.steps} exchanges, but ${absent.length} of them are missing from the transcript (steps ${absent.slice(0, 5).join(', ')}${absent.length > 5 ? ', …' : ''})${r.status === 'pass' ? ': a pass whose exchanges are missing is not a pass' : ''}`);
    if (extra.length > 0) add(T, at, `holds exchanges of ${r.id} (steps ${extra.slice(0, 5).join(', ')}) beyond the ${c.steps} the check sent`);
    if (r.status === 'pass' && (JOURNAL_WIDE as string[]).includes(r.id)) rejudge(r.id as ResponseRuleId, c, har, origin, add);
    if (r.status === 'pass' && NEVER_5XX.has(r.id)) {
      const own = har.log.entries.filter((e) => e._check === r.id && e.response.status >= 500);
      if (own.length > 0) add(FILES.report, at, `is pass, but ${own.length} of its own exchanges answered 5xx, which ${r.id} forbids; first: entry ${own[0]!._seq} (${own[0]!.request.method} ${new URL(own[0]!.request.url).pathname}): HTTP ${own[0]!.response.status}`);
    }
  }
}

/**
 * A journal-wide check judged again: its rule (src/kit/response-rules.ts) applied to every protocol response
 * of the transcript up to the check's result. A pass with an offender in the transcript is contradicted.
 */
function rejudge(id: ResponseRuleId, c: HarCheck, har: Har, origin: string, add: Add): void {
  const rule = RESPONSE_RULES[id];
  let first: { e: HarEntry; problem: string } | undefined;
  let count = 0;
  for (const e of har.log.entries) {
    if (e._seq > c.through) continue;
    const ex = exchangeOfEntry(origin, e);
    if (!ex || !onProtocolPlane(ex)) continue;
    // Offline the credentials are redacted: the journal's echo counts stand for them.
    const problem = rule.judge(ex, []);
    if (problem === undefined) continue;
    count++;
    first ??= { e, problem };
  }
  if (first) add(FILES.report, `results[${id}]`, `is pass, but the transcript has entries that ${rule.what} (${count}); first: entry ${first.e._seq} (${first.e.request.method} ${new URL(first.e.request.url).pathname}): ${first.problem}`);
}

/** Anything the one scrubber would still redact (agent tokens, bearer credentials, credential-named fields) is a leak. */
function secretsIn(har: Har, add: Add): void {
  for (const e of har.log.entries) {
    const texts = [e.request.url, e.request.postData?.text ?? '', e.response.content.text, ...e.request.headers.map((h) => h.value), ...e.response.headers.map((h) => h.value)];
    if (texts.some(looksSecret)) return void add(FILES.transcript, 'secrets', `entry ${e._seq} holds a secret-looking value (${e.request.method} ${new URL(e.request.url).pathname})`);
  }
}

/** certificate.md and badge.svg, when present, are exactly what this bundle earns (and it must earn them). */
function certificateFiles(dir: string, report: RunReport, m: BundleManifest, envelope: Envelope, signed: boolean, add: Add): void {
  const present = [FILES.certificate, FILES.badge].filter((f) => existsSync(join(dir, f)));
  if (present.length === 0) return;
  const why = notCertifiable(report);
  if (why) return void present.forEach((f) => add(f, 'certificate', `present, but the run earns no certificate: ${why}`));
  const { markdown, svg } = certificateOf(report, m, envelope);
  if (present.includes(FILES.certificate) && readFileSync(join(dir, FILES.certificate), 'utf8') !== markdown) add(FILES.certificate, 'certificate', 'differs from the certificate this bundle yields');
  if (present.includes(FILES.badge) && readFileSync(join(dir, FILES.badge), 'utf8') !== svg) add(FILES.badge, 'certificate', 'differs from the badge this bundle yields');
}
