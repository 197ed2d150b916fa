/**
 * Release-tree scan: secrets (secretlint's recommended preset through its Node API, and this tool's
 * detectors of provider credential formats, JWTs, private keys and credential-named configuration values),
 * this protocol's own tokens, .env files, configured private markers and SQL dumps. Every finding has a
 * file, line, column and a fingerprint of its value, and shows the secret only as a prefix. Text is read as
 * UTF-8, or as UTF-16 after its byte-order mark; binary files are judged by name only (.env, databases) and
 * counted; a file over the size cap is scanned in its first maxFileBytes and named; symbolic links are
 * listed and never followed; nothing in the tree can
 * crash the scan. The history scan reads earlier file versions (never the current tree again) and says
 * when a shallow clone hides history.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ToolError } from '../kit/check.js';
import { redactSecrets, redactToken } from '../protocol/redact.js';
import type { ScanConfig } from './config.js';
import type { RuleInfo } from './deployment.js';
import { detectSecrets, isPlaceholder, isStandInUrl, lineStarts, position } from './detectors.js';
import { inlineAllowances, isExpiredEntry, pathForms, valueFingerprint, type TreeBaselineEntry } from './tree-allow.js';

export interface TreeFinding {
  /** GATE-007 … GATE-012. */
  ruleId: string;
  /** What found it: a secretlint rule id, a detector id such as `github-token`, `private-marker:<name>`, … */
  detector: string;
  /** The scanned root as given, and the file's path inside it (forward slashes). */
  root: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Human text; the secret appears only as its prefix plus `…`. */
  message: string;
  /** 16 hex of SHA-256 over the value: what a `tree:` baseline entry names. Never the value. */
  fingerprint: string;
  /** Set when the finding is in an earlier commit (history scan) rather than the tree. */
  commit?: string;
  /** Set when a baseline entry accepts the finding: it is listed but does not fail the gate. */
  suppression?: { justification: string; link?: string; expires?: string };
}

/** A finding an inline directive silenced: where, and which directive (never the value). */
export interface AllowedFinding { ruleId: string; detector: string; root: string; file: string; line: number; directive: string; commit?: string }

/** A symbolic link in the tree. Links are never followed; they are listed so a reviewer sees them. */
export interface SymlinkRecord {
  root: string;
  file: string;
  target: string;
  /** inside: points into the root (its target is scanned there); outside: points out of it; dangling; loop. */
  kind: 'inside' | 'outside' | 'dangling' | 'loop';
}

/** What the history scan could see. */
export interface HistoryScan {
  root: string;
  /** Commits asked for and commits the repository had to give. */
  requested: number;
  commits: number;
  /** File versions read that are not in the current tree. */
  versions: number;
  shallow: boolean;
}

export interface TreeBaselineOutcome {
  suppressed: number;
  /** Entries for a file that was scanned whose finding is gone: remove them (they fail the step). */
  stale: TreeBaselineEntry[];
  expired: TreeBaselineEntry[];
  /** Entries for files this scan did not cover. */
  unmatched: TreeBaselineEntry[];
}

export interface TreeScanResult {
  roots: string[];
  /** Files of the current tree scanned. */
  files: number;
  /** Earlier file versions scanned by the history scan (counted apart from files). */
  versions: number;
  /** Not scanned for content: binary files (judged by name only), earlier versions over the cap, unreadable files. */
  skipped: { binary: number; huge: number; unreadable: number };
  /** Files of the current tree over the size cap, scanned in their first maxFileBytes only (also counted in `files`). */
  cut: string[];
  /** Every finding; those with `suppression` are accepted by the baseline. */
  findings: TreeFinding[];
  allowed: AllowedFinding[];
  symlinks: SymlinkRecord[];
  history: HistoryScan[];
  /** Said in the step summary, do not change the verdict. */
  warnings: string[];
  /** Why the scan is incomplete (the step is an error): a shallow clone under history.shallow: fail. */
  errors: string[];
  baseline?: TreeBaselineOutcome;
}

/** Rationale and explain text of the release-tree rules (titles and levels live in the requirement table). */
export const TREE_RULES: readonly RuleInfo[] = [
  { id: 'GATE-007', rationale: 'A credential shipped in a release is a credential published.', explain: 'Every text file of the release tree (and with --history, every earlier file version) goes through secretlint\'s recommended preset (@secretlint/secretlint-rule-preset-recommend) and this tool\'s detectors: provider formats with a fixed prefix or shape (AWS access key ids, GitHub, GitLab, Slack, Stripe live and restricted keys, Google API keys, npm, SendGrid, sk- API keys, Twilio, Azure, and more: docs/ci.md lists every family), signed JWTs, passwords in URLs, a Twilio auth token next to its Account SID, an AWS secret key next to its key id, and credential-named keys (password, secret, api_key, token, …) in configuration files (.yaml, .yml, .env, .ini, .properties, .toml, .json, .npmrc). Placeholders (your-token-here, xxxx, <…>, ${VAR}, changeme, EXAMPLE), repeated or sequential characters and low-entropy values are not findings; *.example, *.sample and *.template files are held to a higher entropy. An `openport-conform-allow` comment on the line or the line above, or a secretlint-disable directive, silences a finding; a `tree:` baseline entry accepts one by file, rule and fingerprint.' },
  { id: 'GATE-008', rationale: 'An OpenPort token in the tree lets anyone act as that app or as the admin.', explain: 'Agent tokens as the reference runtime (and the authors\' runtime) mint them: op_ followed by base64url of 32 random bytes; admin tokens: adm_ followed by base64url of 24 bytes. Redacted prefixes such as op_… do not match, nor does base64 of plain text (a real token encodes random bytes).' },
  { id: 'GATE-009', rationale: '.env files hold the environment of a deployment, secrets included.', explain: 'A file named .env or .env.<anything> is a finding, except templates meant to be shipped: .env.example, .env.sample, .env.template, .env.dist.' },
  { id: 'GATE-010', rationale: 'A private key in a release must be considered compromised.', explain: 'PEM private keys (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted, PGP) with a key body, found by secretlint\'s privatekey rule and the tool\'s own; an armour line around `...` is documentation, not a key.' },
  { id: 'GATE-011', rationale: 'Internal host names, product code names and the like reveal what was meant to stay inside.', explain: 'Every regular expression under scan.privateMarkers in the gate config ({name, pattern, flags}) is searched in every text file; the match is shown as a prefix only.' },
  { id: 'GATE-012', rationale: 'A database dump is data, usually personal data, not source.', explain: 'A .sql or .dump file with a dump header (mysqldump, pg_dump) or rows (INSERT INTO, COPY … FROM stdin) is a finding, as is a binary .sqlite/.sqlite3/.db file. Schema-only migrations pass.' },
];

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** At most this many historical file versions are read, whatever --history says. */
const HISTORY_BLOB_CAP = 5000;

/** secretlint and its preset, loaded by the first scan (only `gate` scans; `--help` and `explain` list its rules). */
let secretlint: Promise<{ lintSource: typeof import('@secretlint/core').lintSource; config: Parameters<typeof import('@secretlint/core').lintSource>[0]['options']['config'] }> | undefined;
const loadSecretlint = () =>
  (secretlint ??= Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]).then(([core, preset]) => ({
    lintSource: core.lintSource,
    config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset.creator }] },
  })));
const SECRETLINT_PRIVATE_KEY = '@secretlint/secretlint-rule-privatekey';

/** `.env`, `.env.local`, `.env.production`…; templates meant to be shipped are not secrets. */
const ENV_FILE = /^\.env(\.(?!example$|sample$|template$|dist$)[^/]+)?$/i;
/** Statements that carry rows, and the headers dump tools write. */
const SQL_DUMP = /^(?:-- (?:MySQL dump|PostgreSQL database dump|Dumped from database)|INSERT INTO\b|COPY\s+\S+.*\bFROM stdin;)/im;
const DATABASE_FILE = /\.(?:sqlite3?|db)$/i;

function globRe(glob: string): RegExp {
  let body = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      body += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') body += '[^/]*';
    else if (c === '?') body += '[^/]';
    else body += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // Like .gitignore: a pattern without a slash matches a name at any depth.
  return new RegExp(glob.includes('/') ? `^${body}(?:/.*)?$` : `(?:^|/)${body}(?:/.*)?$`);
}

function git(cwd: string, args: string[], input?: string): Buffer | undefined {
  try {
    return execFileSync('git', ['-C', cwd, ...args], { stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 512 * 1024 * 1024, ...(input !== undefined ? { input } : {}) });
  } catch {
    return undefined;
  }
}

const posixPath = (p: string) => p.split(sep).join('/');

/**
 * Where a link leads, without following it further than the file system must to say so. A link to a
 * directory that contains the link (`up -> ..`) is a loop as surely as `a -> b -> a`: a walker that
 * followed it would never end.
 */
function classifyLink(rootReal: string, path: string): SymlinkRecord['kind'] {
  try {
    const real = realpathSync(path);
    const home = realpathSync(dirname(path));
    if (statSync(real).isDirectory() && (home === real || home.startsWith(real + sep))) return 'loop';
    return real === rootReal || real.startsWith(rootReal + sep) ? 'inside' : 'outside';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ELOOP' ? 'loop' : 'dangling';
  }
}

interface Listing { files: string[]; symlinks: { file: string; target: string; kind: SymlinkRecord['kind'] }[]; unreadable: number }

function walk(dir: string, root: string, rootReal: string, out: Listing): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    out.unreadable++;
    return;
  }
  for (const d of entries) {
    if (d.name === '.git' || d.name === 'node_modules') continue;
    const p = join(dir, d.name);
    // Links are never followed: a link to a directory cannot loop the walk or lead it out of the root.
    if (d.isSymbolicLink()) out.symlinks.push({ file: posixPath(relative(root, p)), target: readLink(p), kind: classifyLink(rootReal, p) });
    else if (d.isDirectory()) walk(p, root, rootReal, out);
    else if (d.isFile()) out.files.push(posixPath(relative(root, p)));
  }
}

function readLink(p: string): string {
  try {
    return readlinkSync(p);
  } catch {
    return '?';
  }
}

/** The files of the release tree (git-tracked ones when the root is in a work tree that does not ignore it and tracked is not off), and its links. */
export function listTree(root: string, tracked = true): Listing {
  const st = statSync(root, { throwIfNoEntry: false });
  if (!st?.isDirectory()) throw new ToolError(`--scan ${root}: not a directory`, 2);
  const rootReal = realpathSync(root);
  const out: Listing = { files: [], symlinks: [], unreadable: 0 };
  // A build output directory is usually ignored by git (`dist/`, perhaps with a tracked `.gitkeep`): a root
  // git ignores, or one with nothing tracked under it, is scanned whole.
  const ignoredRoot = tracked && git(root, ['check-ignore', '-q', '--no-index', '.']) !== undefined;
  const listed = tracked && !ignoredRoot ? git(root, ['ls-files', '-z'])?.toString('utf8').split('\0').filter(Boolean) : undefined;
  if (listed && listed.length > 0) {
    for (const file of listed) {
      const p = join(root, file);
      const l = lstatSync(p, { throwIfNoEntry: false });
      if (l?.isSymbolicLink()) out.symlinks.push({ file, target: readLink(p), kind: classifyLink(rootReal, p) });
      else if (l?.isFile()) out.files.push(file);
      else out.unreadable++;
    }
  } else walk(root, root, rootReal, out);
  out.files.sort();
  out.symlinks.sort((a, b) => a.file.localeCompare(b.file));
  return out;
}

/** A finding before it has a place: its range in the text and its value. */
interface Hit { ruleId: string; detector: string; start: number; end: number; message: string; priority: number }

type Marker = { name: string; re: RegExp };

/** Secrets seen by several detectors are reported once; the lower priority number wins. */
const PRIORITY = { protocol: 0, privateKey: 1, secretlint: 2, detector: 3, other: 9 } as const;
const SECRET_RULES = new Set(['GATE-007', 'GATE-008', 'GATE-010']);

/** Up to a quarter of the value, at most 8 characters: enough to recognise it, never enough to use it. */
function preview(value: string): string {
  return `${value.slice(0, Math.min(8, Math.floor(value.length / 4)))}…`;
}

async function secretlintHits(file: string, text: string): Promise<Hit[]> {
  const hits: Hit[] = [];
  const { lintSource, config } = await loadSecretlint();
  const lint = await lintSource({ source: { content: text, filePath: file, contentType: 'text' }, options: { config, locale: 'en' } });
  for (const m of lint.messages) {
    const privateKey = m.ruleId === SECRETLINT_PRIVATE_KEY;
    // The values secretlint names that the file holds are the secret (a rule's other data, a type name, is not).
    // Its range may not be the value's: the AWS secret-key rule matches `aws_secret_access_key = "…"` and gives
    // the match's start with the key's length. The finding's place and fingerprint are the value's own, so
    // renaming the variable neither moves the finding nor breaks its baseline entry.
    const values = Object.values(m.data ?? {}).filter((v): v is string => typeof v === 'string' && v.length > 0 && text.includes(v));
    const value = [...values].sort((a, b) => b.length - a.length)[0];
    const at = value === undefined ? -1 : text.indexOf(value, m.range[0]);
    const [start, end] = at === -1 ? m.range : [at, at + value!.length];
    const secret = text.slice(start, end);
    // The same stand-in filter as the tool's own detectors: `xoxb-your-token-here` is not a token.
    if (!privateKey && (isPlaceholder(secret) || isStandInUrl(secret))) continue;
    // secretlint quotes the secret in its message; only its prefix may leave this function.
    const what = redactSecrets(m.message.split(secret).join(redactToken(secret)), [secret, ...values]);
    hits.push({ ruleId: privateKey ? 'GATE-010' : 'GATE-007', detector: m.ruleId, start, end, message: what, priority: privateKey ? PRIORITY.privateKey : PRIORITY.secretlint });
  }
  return hits;
}

/**
 * A file's text: UTF-8 (a byte-order mark dropped, so columns are an editor's), UTF-16 after its byte-order
 * mark (as PowerShell writes files); undefined for binary data (a NUL byte in the first 8 000).
 */
function textOf(data: Buffer): string | undefined {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return data.toString('utf8', 3);
  if (data[0] === 0xff && data[1] === 0xfe) return data.toString('utf16le', 2);
  if (data[0] === 0xfe && data[1] === 0xff) return Buffer.from(data.subarray(2, 2 + ((data.length - 2) & ~1))).swap16().toString('utf16le');
  if (data.subarray(0, 8000).includes(0)) return undefined;
  return data.toString('utf8');
}

/** The first `bytes` bytes of a file. */
function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

async function scanText(file: string, text: string, starts: readonly number[], markers: readonly Marker[]): Promise<Hit[]> {
  const hits = await secretlintHits(file, text);
  for (const d of detectSecrets(file, text, starts)) {
    const priority = d.ruleId === 'GATE-008' ? PRIORITY.protocol : d.ruleId === 'GATE-010' ? PRIORITY.privateKey : PRIORITY.detector;
    const shown = d.ruleId === 'GATE-010' ? '-----BEG…' : preview(text.slice(d.start, d.end));
    hits.push({ ruleId: d.ruleId, detector: d.detector, start: d.start, end: d.end, message: `found ${d.what}: ${shown}`, priority });
  }
  for (const mk of markers) {
    for (const m of text.matchAll(mk.re)) {
      if (m[0] === '') break;
      hits.push({ ruleId: 'GATE-011', detector: `private-marker:${mk.name}`, start: m.index, end: m.index + m[0].length, message: `found private marker "${mk.name}": ${redactToken(m[0])}`, priority: PRIORITY.other });
    }
  }
  if (/\.(?:sql|dump)$/i.test(file)) {
    const m = SQL_DUMP.exec(text);
    if (m) hits.push({ ruleId: 'GATE-012', detector: 'sql-dump', start: m.index, end: m.index + m[0].length, message: `SQL dump with data (${m[0].slice(0, 24)}…)`, priority: PRIORITY.other });
  }
  // One secret, one finding: of overlapping secret hits, keep the most specific.
  const kept: Hit[] = [];
  for (const h of [...hits].sort((a, b) => a.priority - b.priority || a.start - b.start)) {
    const dup = SECRET_RULES.has(h.ruleId) && kept.some((k) => SECRET_RULES.has(k.ruleId) && k.start < h.end && h.start < k.end);
    if (!dup) kept.push(h);
  }
  return kept.sort((a, b) => a.start - b.start || a.priority - b.priority);
}

export type ShallowPolicy = 'warn' | 'fail';

export interface ScanOptions extends Omit<ScanConfig, 'history'> {
  roots: string[];
  /** Commits of history to scan (0: none). */
  history?: number;
  /** What a shallow clone does to a history scan: warn (scan what exists) or fail (the step is incomplete). */
  shallow?: ShallowPolicy;
  /** `tree:` entries of the baseline. */
  baseline?: readonly TreeBaselineEntry[];
  now?: Date;
}

type ScanContent = (root: string, file: string, data: Buffer, commit?: string) => Promise<void>;

export async function scanTree(opts: ScanOptions): Promise<TreeScanResult> {
  const markers = (opts.privateMarkers ?? []).map((m) => ({ name: m.name, re: new RegExp(m.pattern, `${(m.flags ?? '').replace('g', '')}g`) }));
  const exclude = (opts.exclude ?? []).map(globRe);
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const result: TreeScanResult = {
    roots: [...opts.roots],
    files: 0,
    versions: 0,
    skipped: { binary: 0, huge: 0, unreadable: 0 },
    cut: [],
    findings: [],
    allowed: [],
    symlinks: [],
    history: [],
    warnings: [],
    errors: [],
  };
  const scannedPaths = new Set<string>();

  const scanContent: ScanContent = async (root, file, data, commit) => {
    const at = commit ? { commit } : {};
    const text = textOf(data);
    if (text === undefined) {
      result.skipped.binary++;
      // Rules of the name hold whatever the bytes are (a .env saved in an encoding this scan cannot read).
      if (DATABASE_FILE.test(file)) result.findings.push({ ruleId: 'GATE-012', detector: 'database-file', root, file, line: 1, column: 1, endLine: 1, endColumn: 1, message: 'database file in the release tree', fingerprint: valueFingerprint(`database-file\n${file}`), ...at });
      if (ENV_FILE.test(basename(file))) result.findings.push({ ruleId: 'GATE-009', detector: 'env-file', root, file, line: 1, column: 1, endLine: 1, endColumn: 1, message: '.env file in the release tree', fingerprint: valueFingerprint(`env-file\n${file}`), ...at });
      return;
    }
    if (commit) result.versions++;
    else result.files++;
    const starts = lineStarts(text);
    const allowance = inlineAllowances(text, starts);
    if (ENV_FILE.test(basename(file))) {
      const allowed = allowance(0, 'env-file');
      if (allowed) result.allowed.push({ ruleId: 'GATE-009', detector: 'env-file', root, file, line: 1, directive: allowed.directive, ...at });
      else result.findings.push({ ruleId: 'GATE-009', detector: 'env-file', root, file, line: 1, column: 1, endLine: 1, endColumn: (text.split('\n')[0]?.length ?? 0) + 1, message: '.env file in the release tree', fingerprint: valueFingerprint(`env-file\n${file}`), ...at });
    }
    for (const h of await scanText(file, text, starts, markers)) {
      const a = position(starts, h.start);
      const allowed = allowance(h.start, h.detector);
      if (allowed) {
        result.allowed.push({ ruleId: h.ruleId, detector: h.detector, root, file, line: a.line, directive: allowed.directive, ...at });
        continue;
      }
      const b = position(starts, Math.max(h.start, h.end));
      result.findings.push({ ruleId: h.ruleId, detector: h.detector, root, file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column, message: h.message, fingerprint: valueFingerprint(text.slice(h.start, h.end)), ...at });
    }
  };

  for (const rootArg of opts.roots) {
    const root = resolve(rootArg);
    const listing = listTree(root, opts.tracked ?? true);
    result.skipped.unreadable += listing.unreadable;
    for (const l of listing.symlinks) if (!exclude.some((re) => re.test(l.file))) result.symlinks.push({ root: rootArg, ...l });
    for (const file of listing.files) {
      if (exclude.some((re) => re.test(file))) continue;
      const st = lstatSync(join(root, file), { throwIfNoEntry: false });
      if (!st?.isFile()) {
        result.skipped.unreadable++;
        continue;
      }
      let data: Buffer;
      try {
        // Over the cap, the head: a dump's header, a .env's name and the secrets near the top are still found.
        data = st.size > maxBytes ? readHead(join(root, file), maxBytes) : readFileSync(join(root, file));
        if (st.size > maxBytes) result.cut.push(file);
      } catch {
        result.skipped.unreadable++;
        continue;
      }
      for (const p of pathForms(rootArg, file)) scannedPaths.add(p);
      await scanContent(rootArg, file, data);
    }
    if (opts.history) await scanHistory(root, rootArg, opts.history, opts.shallow ?? 'warn', exclude, maxBytes, result, scanContent);
  }
  // A secret still in the tree is reported once, at its place in the tree; a secret that lived through
  // several earlier versions of a file, once, at the newest.
  const key = (f: TreeFinding) => `${f.ruleId}\n${f.fingerprint}`;
  const inTree = new Set(result.findings.filter((f) => !f.commit).map(key));
  const seen = new Set<string>();
  result.findings = result.findings.filter((f) => {
    if (!f.commit) return true;
    const k = `${key(f)}\n${f.file}`;
    if (inTree.has(key(f)) || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  if (opts.baseline?.length) result.baseline = applyTreeBaseline(result, opts.baseline, scannedPaths, opts.now ?? new Date());
  return result;
}

/** Marks the findings the baseline accepts; entries for scanned files that matched nothing are stale. */
function applyTreeBaseline(result: TreeScanResult, entries: readonly TreeBaselineEntry[], scanned: ReadonlySet<string>, today: Date): TreeBaselineOutcome {
  const live = entries.filter((e) => !isExpiredEntry(e, today));
  const used = new Set<TreeBaselineEntry>();
  for (const f of result.findings) {
    const forms = pathForms(f.root, f.file);
    const entry = live.find((e) => e.rule === f.ruleId && e.fingerprint === f.fingerprint && forms.includes(e.file.replace(/^\.\//, '')));
    if (!entry) continue;
    used.add(entry);
    f.suppression = { justification: entry.reason, ...(entry.link ? { link: entry.link } : {}), ...(entry.expires ? { expires: entry.expires } : {}) };
  }
  const unused = live.filter((e) => !used.has(e));
  const isScanned = (e: TreeBaselineEntry) => scanned.has(e.file.replace(/^\.\//, ''));
  return {
    suppressed: result.findings.filter((f) => f.suppression).length,
    stale: unused.filter(isScanned),
    expired: entries.filter((e) => isExpiredEntry(e, today)),
    unmatched: unused.filter((e) => !isScanned(e)),
  };
}

interface Change { commit: string; path: string; oid: string }

/**
 * Earlier versions from `git log --raw -z`: what each commit wrote (added or modified files, at the commit) and
 * what it replaced or deleted (at its parent), so a secret a commit edited out of a file is seen like one it
 * deleted with the file.
 */
function historyChanges(log: string): { commits: number; changes: Change[] } {
  const changes: Change[] = [];
  let commits = 0;
  let commit = '';
  let parent = '';
  let pending: { oid: string; commit: string }[] = [];
  // Regular files only: not links (their text is a path), not submodules; an all-zero oid is no version.
  const version = (mode: string | undefined, oid: string | undefined) => (mode === '100644' || mode === '100755') && oid !== undefined && !/^0+$/.test(oid);
  for (const token of log.split('\0')) {
    const t = token.replace(/^\n/, '');
    if (t.startsWith('\x01')) {
      [commit = '', parent = ''] = t.slice(1).split(' ');
      commits++;
      pending = [];
    } else if (t.startsWith(':')) {
      // :srcmode dstmode srcoid dstoid status
      const [srcMode, dstMode, src, dst] = t.slice(1).split(' ');
      pending = [];
      if (version(dstMode, dst)) pending.push({ oid: dst!, commit });
      if (version(srcMode, src)) pending.push({ oid: src!, commit: parent || commit });
    } else if (pending.length > 0 && t) {
      for (const p of pending) changes.push({ commit: p.commit, path: t, oid: p.oid });
      pending = [];
    }
  }
  return { commits, changes };
}

/** `git cat-file --batch` output: `<oid> blob <size>\n<content>\n`, repeated. */
function readBlobs(out: Buffer): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  let i = 0;
  while (i < out.length) {
    const nl = out.indexOf(10, i);
    if (nl === -1) break;
    const [oid, type, size] = out.subarray(i, nl).toString('utf8').split(' ');
    if (type !== 'blob') {
      i = nl + 1;
      continue;
    }
    const n = Number(size);
    blobs.set(oid!, out.subarray(nl + 1, nl + 1 + n));
    i = nl + 1 + n + 1;
  }
  return blobs;
}

/** The file versions the last `depth` commits introduced or deleted that the current tree does not hold. */
async function scanHistory(root: string, rootArg: string, depth: number, policy: ShallowPolicy, exclude: RegExp[], maxBytes: number, result: TreeScanResult, scanContent: ScanContent): Promise<void> {
  if (git(root, ['rev-parse', '--is-inside-work-tree'])?.toString('utf8').trim() !== 'true') {
    result.warnings.push(`${rootArg}: history of ${depth} commits asked for, but ${rootArg} is not in a git work tree: no history scanned`);
    return;
  }
  const shallow = git(root, ['rev-parse', '--is-shallow-repository'])?.toString('utf8').trim() === 'true';
  const log = git(root, ['log', `-n${depth}`, '--format=%x01%H %P', '--raw', '--no-renames', '--no-abbrev', '-z', '--relative', '--', '.'])?.toString('utf8') ?? '';
  const { commits, changes } = historyChanges(log);
  const scan: HistoryScan = { root: rootArg, requested: depth, commits, versions: 0, shallow };
  result.history.push(scan);
  if (shallow) {
    const text = `${rootArg}: shallow clone: only ${commits} of the ${depth} commits asked for are present, so secrets removed in earlier commits cannot be seen; check out with full history (actions/checkout: fetch-depth: 0)`;
    (policy === 'fail' ? result.errors : result.warnings).push(text);
  }
  // What the tree scan already read is not history: the blobs of the index (the current tree).
  const current = new Set(
    (git(root, ['ls-files', '-s', '-z'])?.toString('utf8') ?? '').split('\0').map((l) => l.split(' ')[1]).filter((x): x is string => !!x),
  );
  const wanted: Change[] = [];
  const seen = new Set<string>();
  for (const c of changes) {
    if (current.has(c.oid) || seen.has(c.oid) || exclude.some((re) => re.test(c.path))) continue;
    seen.add(c.oid);
    wanted.push(c);
  }
  if (wanted.length > HISTORY_BLOB_CAP) {
    result.warnings.push(`${rootArg}: ${wanted.length} earlier file versions; only the newest ${HISTORY_BLOB_CAP} were scanned`);
    wanted.length = HISTORY_BLOB_CAP;
  }
  if (wanted.length === 0) return;
  const sizes = new Map<string, number>();
  for (const line of (git(root, ['cat-file', '--batch-check'], wanted.map((c) => c.oid).join('\n') + '\n')?.toString('utf8') ?? '').split('\n')) {
    const [oid, , size] = line.split(' ');
    if (oid && size) sizes.set(oid, Number(size));
  }
  const small = wanted.filter((c) => (sizes.get(c.oid) ?? Infinity) <= maxBytes);
  result.skipped.huge += wanted.length - small.length;
  const blobs = readBlobs(git(root, ['cat-file', '--batch'], small.map((c) => c.oid).join('\n') + '\n') ?? Buffer.alloc(0));
  for (const c of small) {
    const data = blobs.get(c.oid);
    if (!data) continue;
    const before = result.versions;
    await scanContent(rootArg, c.path, data, c.commit.slice(0, 12));
    scan.versions += result.versions - before;
  }
}
