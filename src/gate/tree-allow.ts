/**
 * Allowlisting release-tree findings, two ways. In the file: an `openport-conform-allow` comment on the
 * finding's line or the line above silences every detector there; secretlint's own directives
 * (`secretlint-disable-line`, `secretlint-disable-next-line`, `secretlint-disable` … `secretlint-enable`,
 * optionally naming rules) silence this tool's detectors as well as secretlint's. In the baseline file: a
 * `tree:` entry accepts one finding by file, rule and a fingerprint of its value (a hash, never the value),
 * with a reason and an optional expiry, like the entries for profile results.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { ToolError } from '../kit/check.js';
import { position } from './detectors.js';

export interface InlineAllow {
  /** The directive that silenced the finding. */
  directive: string;
}

interface Directive { type: string; names: string[]; index: number; line: number }

const DIRECTIVE = /(openport-conform-allow|secretlint-(?:disable-next-line|disable-line|disable|enable))\b(.*)/g;

/** `a, b -- why` → ["a", "b"]; comment closers are not names. */
function names(options: string): string[] {
  const upTo = options.indexOf('--');
  return (upTo === -1 ? options : options.slice(0, upTo))
    .replace(/\*\/|-->/g, '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * For one file: which directive, if any, silences a finding of `detector` that starts at `index`.
 * `openport-conform-allow` takes no names (whatever follows it is the reason) and covers its own line and the
 * next; secretlint's directives follow secretlint's rules, names included.
 */
export function inlineAllowances(text: string, starts: readonly number[]): (index: number, detector: string) => InlineAllow | undefined {
  if (!/openport-conform-allow|secretlint-(?:disable|enable)/.test(text)) return () => undefined;
  const list: Directive[] = [...text.matchAll(DIRECTIVE)].map((m) => ({
    type: m[1]!,
    names: m[1] === 'openport-conform-allow' ? [] : names(m[2] ?? ''),
    index: m.index,
    line: position(starts, m.index).line,
  }));
  const applies = (d: Directive, detector: string) => d.names.length === 0 || d.names.includes(detector);
  return (index, detector) => {
    const line = position(starts, index).line;
    for (const d of list) {
      const hit =
        (d.type === 'openport-conform-allow' && (d.line === line || d.line + 1 === line)) ||
        (d.type === 'secretlint-disable-line' && d.line === line) ||
        (d.type === 'secretlint-disable-next-line' && d.line + 1 === line);
      if (hit && applies(d, detector)) return { directive: d.type };
    }
    // A disable … enable block: the last block directive before the finding decides.
    let block: Directive | undefined;
    for (const d of list) if (d.index < index && (d.type === 'secretlint-disable' || d.type === 'secretlint-enable') && applies(d, detector)) block = d;
    return block?.type === 'secretlint-disable' ? { directive: 'secretlint-disable' } : undefined;
  };
}

/** 16 hex characters of SHA-256 over the value: what a baseline entry pins, without holding the value. */
export function valueFingerprint(value: string): string {
  return createHash('sha256').update(`openport-conform tree value\n${value}`).digest('hex').slice(0, 16);
}

export interface TreeBaselineEntry {
  /** The path as the finding reports it: inside the scanned root, or with the root in front (`dist/app.js`). */
  file: string;
  /** GATE-007 … GATE-012. */
  rule: string;
  /** valueFingerprint of the finding's value. */
  fingerprint: string;
  reason: string;
  link?: string;
  /** YYYY-MM-DD: from this day on the entry no longer suppresses. */
  expires?: string;
}

/** Reasons that say nothing: the placeholder `baseline update` writes, and any TODO. */
const PLACEHOLDER = /^\s*(?:TODO|FIXME|TBD|XXX)\b/i;

export const isPlaceholderReason = (reason: string): boolean => PLACEHOLDER.test(reason);

/** Checks the schema cannot express; exit 2 naming the file, the entry and the fix. */
export function checkTreeEntries(entries: readonly TreeBaselineEntry[], file: string): void {
  entries.forEach((e, i) => {
    if (isPlaceholderReason(e.reason)) {
      throw new ToolError(`invalid baseline ${file}: /tree/${i}/reason "${e.reason.slice(0, 40)}" is a placeholder; say why ${e.rule} in ${e.file} is accepted (a test fixture, a revoked key, …)`, 2);
    }
    if (e.expires !== undefined && Number.isNaN(Date.parse(e.expires))) throw new ToolError(`invalid baseline ${file}: /tree/${i}/expires "${e.expires}" is not a date (YYYY-MM-DD)`, 2);
  });
}

export function isExpiredEntry(e: { expires?: string }, today: Date): boolean {
  return e.expires !== undefined && Date.parse(e.expires) <= today.getTime();
}

/** The ways a finding's path may be written in an entry: inside its root, or with the root in front. */
export function pathForms(root: string, file: string): string[] {
  const joined = posix.normalize(posix.join(root.split('\\').join('/'), file));
  return joined === file ? [file] : [file, joined.replace(/^\.\//, '')];
}
