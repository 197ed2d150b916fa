/**
 * Release-tree scan: secrets (secretlint's recommended preset through its Node API), this protocol's own
 * credential shapes, .env files, private keys, configured private markers and SQL dumps. Every finding has
 * a file, line and column and shows the secret only as a prefix. Binary and huge files are skipped and
 * counted; nothing in the tree can crash the scan.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { ToolError } from '../kit/check.js';
import { redactSecrets, redactToken } from '../protocol/redact.js';
import type { ScanConfig } from './config.js';
import type { RuleInfo } from './deployment.js';

export interface TreeFinding {
  /** GATE-007 … GATE-012. */
  ruleId: string;
  /** What found it: a secretlint rule id, `openport-agent-token`, `private-marker:<name>`, … */
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
  /** Set when the finding is in an earlier commit (history scan) rather than the tree. */
  commit?: string;
}

export interface TreeScanResult {
  roots: string[];
  files: number;
  skipped: { binary: number; huge: number; unreadable: number };
  findings: TreeFinding[];
}

/** Rationale and explain text of the release-tree rules (titles and levels live in the requirement table). */
export const TREE_RULES: readonly RuleInfo[] = [
  { id: 'GATE-007', rationale: 'A credential shipped in a release is a credential published.', explain: 'Every text file of the release tree is linted with secretlint\'s recommended preset (@secretlint/secretlint-rule-preset-recommend: cloud keys, API tokens, connection strings, …) through its Node API. Private keys found by it count under GATE-010.' },
  { id: 'GATE-008', rationale: 'An OpenPort token in the tree lets anyone act as that app or as the admin.', explain: 'Agent tokens as the reference runtime (and the authors\' runtime) mint them: op_ followed by base64url of 32 random bytes; admin tokens: adm_ followed by base64url of 24 bytes. Redacted prefixes such as op_… do not match.' },
  { id: 'GATE-009', rationale: '.env files hold the environment of a deployment, secrets included.', explain: 'A file named .env or .env.<anything> is a finding, except templates meant to be shipped: .env.example, .env.sample, .env.template, .env.dist.' },
  { id: 'GATE-010', rationale: 'A private key in a release must be considered compromised.', explain: 'PEM private keys (RSA, EC, DSA, OpenSSH, PKCS#8, PGP), found by secretlint\'s privatekey rule.' },
  { id: 'GATE-011', rationale: 'Internal host names, product code names and the like reveal what was meant to stay inside.', explain: 'Every regular expression under scan.privateMarkers in the gate config ({name, pattern, flags}) is searched in every text file; the match is shown as a prefix only.' },
  { id: 'GATE-012', rationale: 'A database dump is data, usually personal data, not source.', explain: 'A .sql or .dump file with a dump header (mysqldump, pg_dump) or rows (INSERT INTO, COPY … FROM stdin) is a finding, as is a binary .sqlite/.sqlite3/.db file. Schema-only migrations pass.' },
];

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
/** At most this many historical file versions are read, whatever --history says. */
const HISTORY_BLOB_CAP = 5000;

const SECRETLINT_CONFIG = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }] };
const SECRETLINT_PRIVATE_KEY = '@secretlint/secretlint-rule-privatekey';

/** Credentials as the reference runtime mints them: `op_` + base64url(32 bytes), `adm_` + base64url(24 bytes). */
const PROTOCOL_TOKENS: { detector: string; re: RegExp; what: string }[] = [
  { detector: 'openport-agent-token', re: /(?<![A-Za-z0-9_-])op_[A-Za-z0-9_-]{40,128}(?![A-Za-z0-9_-])/g, what: 'OpenPort agent token' },
  { detector: 'openport-admin-token', re: /(?<![A-Za-z0-9_-])adm_[A-Za-z0-9_-]{30,128}(?![A-Za-z0-9_-])/g, what: 'OpenPort admin token' },
];

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

function git(cwd: string, args: string[]): Buffer | undefined {
  try {
    return execFileSync('git', ['-C', cwd, ...args], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

function walk(dir: string, root: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (name === '.git' || name === 'node_modules') continue;
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) walk(p, root, out);
    else if (st?.isFile()) out.push(relative(root, p).split(sep).join('/'));
  }
}

/** The files of the release tree: git-tracked ones when the root is in a work tree (and tracked is not off). */
export function listFiles(root: string, tracked = true): string[] {
  const st = statSync(root, { throwIfNoEntry: false });
  if (!st?.isDirectory()) throw new ToolError(`--scan ${root}: not a directory`, 2);
  // A build output directory is usually ignored by git: with nothing tracked under it, scan what is there.
  const listed = tracked ? git(root, ['ls-files', '-z'])?.toString('utf8').split('\0').filter(Boolean) : undefined;
  if (listed && listed.length > 0) return listed.sort();
  const out: string[] = [];
  walk(root, root, out);
  return out.sort();
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of a string index. */
function position(starts: number[], index: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: index - starts[lo]! + 1 };
}

interface Hit { ruleId: string; detector: string; start: number; end: number; message: string }

type Marker = { name: string; re: RegExp };

async function scanText(file: string, text: string, markers: readonly Marker[]): Promise<Hit[]> {
  const hits: Hit[] = [];
  const lint = await lintSource({ source: { content: text, filePath: file, contentType: 'text' }, options: { config: SECRETLINT_CONFIG, locale: 'en' } });
  for (const m of lint.messages) {
    const secret = text.slice(m.range[0], m.range[1]);
    const values = Object.values(m.data ?? {}).filter((v): v is string => typeof v === 'string');
    // secretlint quotes the secret in its message; only its prefix may leave this function.
    const what = redactSecrets(m.message.split(secret).join(redactToken(secret)), values);
    hits.push({ ruleId: m.ruleId === SECRETLINT_PRIVATE_KEY ? 'GATE-010' : 'GATE-007', detector: m.ruleId, start: m.range[0], end: m.range[1], message: what });
  }
  for (const t of PROTOCOL_TOKENS) {
    for (const m of text.matchAll(t.re)) hits.push({ ruleId: 'GATE-008', detector: t.detector, start: m.index, end: m.index + m[0].length, message: `found ${t.what}: ${redactToken(m[0])}` });
  }
  for (const mk of markers) {
    for (const m of text.matchAll(mk.re)) {
      if (m[0] === '') break;
      hits.push({ ruleId: 'GATE-011', detector: `private-marker:${mk.name}`, start: m.index, end: m.index + m[0].length, message: `found private marker "${mk.name}": ${redactToken(m[0])}` });
    }
  }
  if (/\.(?:sql|dump)$/i.test(file)) {
    const m = SQL_DUMP.exec(text);
    if (m) hits.push({ ruleId: 'GATE-012', detector: 'sql-dump', start: m.index, end: m.index + m[0].length, message: `SQL dump with data (${m[0].slice(0, 24)}…)` });
  }
  return hits;
}

export interface ScanOptions extends ScanConfig { roots: string[] }

export async function scanTree(opts: ScanOptions): Promise<TreeScanResult> {
  const markers = (opts.privateMarkers ?? []).map((m) => ({ name: m.name, re: new RegExp(m.pattern, `${(m.flags ?? '').replace('g', '')}g`) }));
  const exclude = (opts.exclude ?? []).map(globRe);
  const maxBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const result: TreeScanResult = { roots: [...opts.roots], files: 0, skipped: { binary: 0, huge: 0, unreadable: 0 }, findings: [] };

  const scanContent = async (root: string, file: string, data: Buffer, commit?: string) => {
    if (data.subarray(0, 8000).includes(0)) {
      result.skipped.binary++;
      if (DATABASE_FILE.test(file)) result.findings.push({ ruleId: 'GATE-012', detector: 'database-file', root, file, line: 1, column: 1, endLine: 1, endColumn: 1, message: 'database file in the release tree', ...(commit ? { commit } : {}) });
      return;
    }
    result.files++;
    const text = data.toString('utf8');
    const starts = lineStarts(text);
    if (ENV_FILE.test(basename(file))) {
      result.findings.push({ ruleId: 'GATE-009', detector: 'env-file', root, file, line: 1, column: 1, endLine: 1, endColumn: (text.split('\n')[0]?.length ?? 0) + 1, message: '.env file in the release tree', ...(commit ? { commit } : {}) });
    }
    for (const h of await scanText(file, text, markers)) {
      const a = position(starts, h.start);
      const b = position(starts, Math.max(h.start, h.end));
      result.findings.push({ ruleId: h.ruleId, detector: h.detector, root, file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column, message: h.message, ...(commit ? { commit } : {}) });
    }
  };

  for (const rootArg of opts.roots) {
    const root = resolve(rootArg);
    for (const file of listFiles(root, opts.tracked ?? true)) {
      if (exclude.some((re) => re.test(file))) continue;
      const st = statSync(join(root, file), { throwIfNoEntry: false });
      if (!st?.isFile()) {
        result.skipped.unreadable++;
        continue;
      }
      if (st.size > maxBytes) {
        result.skipped.huge++;
        continue;
      }
      let data: Buffer;
      try {
        data = readFileSync(join(root, file));
      } catch {
        result.skipped.unreadable++;
        continue;
      }
      await scanContent(rootArg, file, data);
    }
    if (opts.history) await scanHistory(root, rootArg, opts.history, exclude, maxBytes, result, scanContent);
  }
  // A secret that is still in the tree is reported once, at its place in the tree.
  const inTree = new Set(result.findings.filter((f) => !f.commit).map((f) => `${f.file}\n${f.ruleId}\n${f.message}`));
  result.findings = result.findings.filter((f) => !f.commit || !inTree.has(`${f.file}\n${f.ruleId}\n${f.message}`));
  return result;
}

/** The file versions the last `depth` commits introduced, bounded by HISTORY_BLOB_CAP. */
async function scanHistory(
  root: string,
  rootArg: string,
  depth: number,
  exclude: RegExp[],
  maxBytes: number,
  result: TreeScanResult,
  scanContent: (root: string, file: string, data: Buffer, commit: string) => Promise<void>,
): Promise<void> {
  const prefix = git(root, ['rev-parse', '--show-prefix'])?.toString('utf8').trim() ?? '';
  const log = git(root, ['log', `-n${depth}`, '--format=%H', '--name-only', '--diff-filter=AM', '--relative', '-z', '.']);
  if (!log) return;
  let blobs = 0;
  let commit = '';
  for (const token of log.toString('utf8').split(/\0|\n/)) {
    const t = token.trim();
    if (/^[0-9a-f]{40}$/.test(t)) commit = t;
    else if (t && commit && !exclude.some((re) => re.test(t))) {
      if (++blobs > HISTORY_BLOB_CAP) return;
      const size = Number(git(root, ['cat-file', '-s', `${commit}:${prefix}${t}`])?.toString('utf8').trim() ?? NaN);
      if (!(size <= maxBytes)) {
        result.skipped.huge++;
        continue;
      }
      const data = git(root, ['show', `${commit}:${prefix}${t}`]);
      if (data) await scanContent(rootArg, t, data, commit.slice(0, 12));
    }
  }
}
