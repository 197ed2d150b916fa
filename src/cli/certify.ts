/** certify, keygen, verify: the signed evidence bundle (src/evidence, docs/certification.md). */
import { loadChecks } from './checks.js';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ToolError, type CheckDef } from '../kit/check.js';
import { readJournal } from '../runner/journal.js';
import type { RunReport } from '../runner/result.js';
import { FILES, recordOf, writeBundle } from '../evidence/bundle.js';
import { runOptionsOf } from '../runner/options.js';
import { certificateOf, notCertifiable } from '../evidence/certificate.js';
import { generateSigningKeys, signingKey, verifyingKey, type Envelope } from '../evidence/dsse.js';
import { verifyBundle } from '../evidence/verify.js';
import { EXIT, EXIT_CODES_HELP, VERIFY_EXIT_CODES_HELP } from './exit-codes.js';
import { parseTargetUrl, tableOptions, withDefaults, type CliValues } from './options.js';
import { checkOutDir, JOURNAL_FILE, runWithReporters, throwIfJournalFailed, type RunFlags } from './run.js';
import { resolveSecrets } from './secrets.js';
import { redactSecrets } from '../protocol/redact.js';
import { displayLine } from '../report/text.js';
import type { CommandIo } from './io.js';
import { createPublicKey } from 'node:crypto';
import { makeDirs } from '../kit/paths.js';

export const KEY_FILE = 'openport-signing.pem';
export const PUBLIC_KEY_FILE = 'openport-signing.pub.pem';

function readKey(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ToolError(`${flag} ${file}: cannot read the key (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 2);
  }
}

/** --key's Ed25519 public key: one that is not is the caller's mistake (exit 2), never the bundle's. */
function publicKeyOf(file: string): string {
  const pem = readKey(file, '--key');
  // A private key would verify too (its public half is derived from it), but it is the signer's alone to hold.
  if (/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/.test(pem)) {
    throw new ToolError(`--key ${file}: is a private key; verify takes the public one (keygen's ${PUBLIC_KEY_FILE}), and the private key never leaves the signer`, 2);
  }
  try {
    verifyingKey(pem);
  } catch (e) {
    throw new ToolError(`--key ${file}: not an Ed25519 public key (${(e as Error).message.split('\n')[0]})`, 2);
  }
  return pem;
}

/** Why a --sign-key PEM cannot sign, in the words of what the file is. */
function unusableKey(pem: string, err: Error): string {
  if (pem.includes('-----BEGIN PUBLIC KEY-----')) return `is a public key; --sign-key takes the private key (keygen's ${KEY_FILE}), the public one is for verify --key`;
  if (pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) return 'is encrypted with a passphrase, which certify cannot ask for; sign with an unencrypted copy kept mode 0600 (openssl pkey -in <file> -out <copy>)';
  if (!pem.includes('-----BEGIN ')) return `holds no PEM key; make one with openport-conform keygen`;
  return `not an Ed25519 private key (${err.message}); make one with openport-conform keygen`;
}

/** The bundle directory must be new or empty: a bundle never mixes with older files. */
function checkBundleDir(dir: string): void {
  // Before the run: a directory that cannot be made would otherwise be found only after it.
  if (!existsSync(dir)) return checkOutDir(dir, 'the bundle directory');
  if (!statSync(dir).isDirectory()) throw new ToolError(`--out ${dir}: not a directory; a bundle needs a new or empty directory`, 2);
  const entries = readdirSync(dir);
  if (entries.length === 0) return;
  const left = entries.length === 1 && entries[0] === FILES.report ? ' (it holds only the report.json of a run that got no bundle: remove it or choose another directory)' : '';
  throw new ToolError(`--out ${dir}: the directory is not empty${left}; a bundle needs a new or empty directory`, 2);
}

export function registerCertify(program: Command, io: CommandIo): void {
  tableOptions(program
    .command('certify')
    .summary('run the checks and write a signed evidence bundle')
    .description('run the checks like `run` and write an evidence bundle into --out: report, HAR transcript, profiles, digests, an in-toto statement in a DSSE envelope (signed with --sign-key), and a certificate when the run is complete and conformant')
    .argument('[url]', 'base URL of the server; omit for the embedded reference runtime', parseTargetUrl), 'certify')
    .option('--sign-key <file>', `Ed25519 private key (PEM) to sign the statement with (openport-conform keygen makes ${KEY_FILE})`)
    .addHelpText('after', `
Examples:
  $ openport-conform keygen --out keys
  $ openport-conform certify --sign-key keys/${KEY_FILE} --out bundle
  $ openport-conform verify bundle --key keys/${PUBLIC_KEY_FILE}
${EXIT_CODES_HELP}`)
    .action(async (url: string | undefined, given: RunFlags & { signKey?: string }) => {
      const flags = withDefaults(given, 'certify');
      const signingKeyPem = flags.signKey === undefined ? undefined : readKey(flags.signKey, '--sign-key');
      if (signingKeyPem !== undefined) {
        // Before any traffic: a key that cannot sign would waste the run.
        try {
          signingKey(signingKeyPem);
        } catch (e) {
          throw new ToolError(`--sign-key ${flags.signKey}: ${unusableKey(signingKeyPem, e as Error)}`, 2);
        }
        const mode = statSync(flags.signKey!).mode & 0o777;
        if (mode & 0o077) io.stderr.write(`openport-conform: warning: --sign-key ${flags.signKey} is readable by others (mode 0${mode.toString(8)}): chmod 600 it\n`);
      }
      checkBundleDir(flags.out);
      const work = await mkdtemp(join(tmpdir(), 'openport-certify-'));
      try {
        // A canary the run holds like a credential: if it shows up anywhere in the bundle, redaction failed.
        const canary = `op_canary_${randomBytes(24).toString('base64url')}`;
        // The console names report.json where the bundle puts it, not in the work folder removed below.
        let report: RunReport;
        try {
          report = await runWithReporters(io, url, { ...flags, out: work, reporter: ['pretty', 'json'] }, { canary, shownIn: flags.out, journalKept: false });
          throwIfJournalFailed(report, 'run');
          const journal = await readJournal(join(work, JOURNAL_FILE));
          const run = recordOf(runOptionsOf(flags), report);
          makeDirs(flags.out);
          await writeBundle(flags.out, { report, reportText: await readFile(join(work, FILES.report), 'utf8'), journal, run, canary, signingKeyPem, checks: await loadChecks(io) });
        } catch (e) {
          await keepReport(work, flags.out, canary);
          throw e;
        }
        const pub = signingKeyPem === undefined ? undefined : (createPublicKey(signingKeyPem).export({ type: 'spki', format: 'pem' }) as string);
        io.stdout.write(`Bundle: ${flags.out} (${signingKeyPem ? 'signed' : 'unsigned'})\n`);
        io.stdout.write(`${await certificate(flags.out, pub, await loadChecks(io))}\n`);
        io.setExit(report.exitCode);
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    });
}

/**
 * No bundle (the run stopped, its journal is incomplete, the canary leaked): the run's report.json, written
 * even then, stays where the console named it, unless it carries the canary (the bundle writes nothing then).
 */
async function keepReport(work: string, out: string, canary: string): Promise<void> {
  const text = await readFile(join(work, FILES.report), 'utf8').catch(() => undefined);
  if (text === undefined || text.includes(canary) || existsSync(join(out, FILES.report))) return;
  makeDirs(out);
  await writeFile(join(out, FILES.report), text);
}

/** certificate.md and badge.svg from the verified bundle, or why there is none. */
async function certificate(dir: string, publicKeyPem: string | undefined, checks: readonly CheckDef[]): Promise<string> {
  const v = verifyBundle(dir, { publicKeyPem, checks });
  if (!v.ok) throw new ToolError(`the bundle just written does not verify: ${v.problems.map((p) => `${p.file}: ${p.property}: ${p.message}`).join('; ')}`, 3);
  const why = notCertifiable(v.report!);
  if (why) return `No certificate: ${why}.`;
  const env = JSON.parse(readFileSync(join(dir, FILES.attestation), 'utf8')) as Envelope;
  const { markdown, svg } = certificateOf(v.report!, v.manifest!, env);
  await writeFile(join(dir, FILES.certificate), markdown);
  await writeFile(join(dir, FILES.badge), svg);
  return `Certificate: ${join(dir, FILES.certificate)}, badge ${join(dir, FILES.badge)}`;
}

export function registerKeygen(program: Command, io: CommandIo): void {
  program
    .command('keygen')
    .summary('make an Ed25519 key pair for signing bundles')
    .description(`write an Ed25519 key pair: DIR/${KEY_FILE} (private, mode 0600) and DIR/${PUBLIC_KEY_FILE}`)
    .requiredOption('--out <dir>', 'directory for the key pair (created)')
    .action(async (flags: { out: string }) => {
      const priv = join(flags.out, KEY_FILE);
      for (const file of [priv, join(flags.out, PUBLIC_KEY_FILE)]) if (existsSync(file)) throw new ToolError(`${file} already exists; keygen never overwrites a key`, 2);
      checkOutDir(flags.out, 'the key directory');
      const { privatePem, publicPem } = generateSigningKeys();
      try {
        makeDirs(flags.out);
        await writeFile(priv, privatePem, { mode: 0o600, flag: 'wx' });
        await chmod(priv, 0o600);
        await writeFile(join(flags.out, PUBLIC_KEY_FILE), publicPem, { flag: 'wx' });
      } catch (e) {
        throw new ToolError(`--out ${flags.out}: cannot write the key pair (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 2);
      }
      io.stdout.write(`Private key: ${priv} (mode 0600; keep it secret)\nPublic key:  ${join(flags.out, PUBLIC_KEY_FILE)} (publish it with your bundles)\n`);
    });
}

type VerifyFlags = CliValues & { key?: string; replay?: string | true; allowUnsigned?: boolean };

export function registerVerify(program: Command, io: CommandIo): void {
  tableOptions(program
    .command('verify')
    .summary('check an evidence bundle; --replay runs it again')
    .description('check every digest, the signature (with --key), the internal consistency of a bundle and the release it names; with --replay, run the same selection, options and seed again and compare (with an agent token and no admin header: the subset that token can re-check)')
    .argument('<bundle>', 'the bundle directory')
    .option('--key <file>', 'the Ed25519 public key (PEM) the bundle must be signed with')
    .option('--allow-unsigned', 'exit 0 without --key (the signer is then not checked); otherwise that exits 4')
    .option('--replay [url]', 'run the bundle again: against URL, or the embedded runtime for a bundle made embedded', parseTargetUrl), 'verify')
    .addHelpText('after', `
Examples:
  $ openport-conform verify bundle --key vendor.pub.pem
  $ openport-conform verify bundle --key vendor.pub.pem --replay https://staging.example --token-file my-agent.token
${VERIFY_EXIT_CODES_HELP}
`)
    .action(async (dir: string, flags: VerifyFlags) => {
      // A path that names no directory is the caller's mistake (exit 2); a directory that is no bundle fails verification.
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ToolError(`${dir}: ${existsSync(dir) ? 'not a directory' : 'no such directory'}; give the directory certify wrote`, 2);
      // A usage error is said before the bundle is verified, not after.
      if (flags.fault?.length && typeof flags.replay === 'string') throw new ToolError('--fault applies only to a replay on the embedded runtime (--replay without a URL, for a bundle made embedded)', 2);
      if (flags.fault?.length && flags.replay === undefined) throw new ToolError('--fault applies only to a replay (--replay)', 2);
      // Every line may carry the bundle's or the replayed server's text (file names, ids, reasons): one line
      // each, controls made visible, and the replay's credentials never in full.
      const secrets: string[] = [];
      const say = (line: string) => io.stdout.write(`${redactSecrets(displayLine(line), secrets)}\n`);
      const checks = await loadChecks(io);
      const v = verifyBundle(dir, { publicKeyPem: flags.key === undefined ? undefined : publicKeyOf(flags.key), checks });
      for (const p of v.problems) say(`✗ ${join(dir, p.file)}: ${p.property}: ${p.message}`);
      for (const n of v.notes) say(`· ${n}`);
      if (!v.ok) {
        say(`NOT VERIFIED: ${v.problems.length} broken propert${v.problems.length === 1 ? 'y' : 'ies'}`);
        return io.setExit(EXIT.notConformant);
      }
      const r = v.report as RunReport;
      const who = v.signerChecked ? `signed by key ${v.signers.join(', ')}` : v.signed ? `signer not checked (signed by key ${v.signers.join(', ')}; give --key to check it)` : 'unsigned: nobody vouches for it';
      say(`${v.signerChecked ? 'verified' : 'consistent, signer not checked'}: ${r.target.embedded ? 'the embedded reference runtime' : r.target.url} · profile ${r.profile} · ${r.verdict} · ${r.results.length} results · ${who}`);
      // Consistent is not vouched for: without a checked signer, only --allow-unsigned makes that a 0.
      const unchecked = !v.signerChecked && flags.allowUnsigned !== true ? EXIT.signerNotChecked : EXIT.conformant;
      if (flags.replay === undefined) return io.setExit(unchecked);
      const { replayBundle } = await import('../evidence/replay.js');
      const url = flags.replay === true ? undefined : flags.replay;
      const { token, adminHeaders } = resolveSecrets(flags, url === undefined ? {} : io.env);
      secrets.push(...[token, ...Object.values(adminHeaders ?? {})].filter((x): x is string => !!x));
      // Another server than the certified one is a comparison of two servers, which the reader must know.
      if (url !== undefined && !r.target.embedded && new URL(url).href !== new URL(r.target.url).href) say(`· replaying against ${url}, not the certified target ${r.target.url}: the outcomes compare that server with the certified run`);
      const rep = await replayBundle(dir, r, v.manifest!, { checks, url, token, adminHeaders, faults: flags.fault });
      if (rep.mode === 'customer') say(`customer replay (${token === undefined ? 'no agent token' : 'agent token'}, no admin plane): re-checking ${rep.compared.length} requirement(s) read-only`);
      for (const n of rep.notRechecked) say(`· not re-checked: ${n.id}: ${n.reason}`);
      for (const d of rep.differences) say(`≠ ${d.id}: was ${d.was}, now ${d.now}${d.reason ? `: ${d.reason}` : ''}`);
      if (rep.mode === 'customer') {
        say(`replay: ${rep.differences.length} of ${rep.compared.length} re-checked requirement(s) changed; ${rep.differences.length === 0 ? 'outcomes reproduced' : 'outcomes differ'}`);
        return io.setExit(rep.differences.length === 0 ? unchecked : EXIT.notConformant);
      }
      if (rep.fingerprint) say(`server fingerprint: ${rep.fingerprint.length === 0 ? 'the same as certified' : `differs from the certified one in ${rep.fingerprint.join(', ')}`}`);
      const same = rep.verdict.was === rep.verdict.now;
      say(`replay: ${rep.differences.length} requirement(s) changed; verdict ${same ? `reproduced (${rep.verdict.now})` : `was ${rep.verdict.was}, now ${rep.verdict.now}`}`);
      // The same outcomes, not only the same verdict: a requirement that changed (a SHOULD now warning) is a difference.
      io.setExit(same && rep.differences.length === 0 ? unchecked : EXIT.notConformant);
    });
}
