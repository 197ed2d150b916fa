/**
 * The one sanitizer for text that may come from the target (codes, messages, bodies, header values) on its
 * way to a reader. Control characters (C0 but tab and newline, DEL, C1 — the 8-bit CSI U+009B included)
 * become "?", so nothing can move the cursor, clear the screen, set a window title or recolour a line; the
 * bidirectional controls that make a line read differently from its bytes (U+202A–U+202E, U+2066–U+2069,
 * U+200E/U+200F, U+061C) and the line and paragraph separators (U+2028, U+2029: a line break to JavaScript,
 * some editors and viewers) become a visible "⟨U+202E⟩". Raw bytes stay only in the journal.
 *
 * Every renderer starts from displayReport (the whole report through displayText); each then escapes for its
 * own format (Markdown: displayMarkdown; XML and HTML: entities).
 */
import type { RunReport } from '../runner/result.js';

const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const SHOWN = /[\u061C\u200E\u200F\u2028-\u202E\u2066-\u2069]/g;

export function displayText(s: string): string {
  return s.replace(CONTROL, '?').replace(SHOWN, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/** displayText on one line: a newline cannot forge a line of its own (a summary, a "PASS" row). */
export function displayLine(s: string): string {
  return displayText(s.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}

/** Every string of `value` (objects and arrays walked, keys included) through displayText. */
export function displayDeep<T>(value: T): T {
  if (typeof value === 'string') return displayText(value) as T;
  if (Array.isArray(value)) return value.map(displayDeep) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [displayText(k), displayDeep(v)])) as T;
  }
  return value;
}

/**
 * The report as every renderer shows it: each string cleaned by displayText. Idempotent, so a renderer that
 * calls another (the gate's Markdown quoting the run's) cleans nothing twice into something else.
 */
export function displayReport(report: RunReport): RunReport {
  return displayDeep(report);
}

/**
 * Markdown text (GitHub Flavored): raw HTML and autolinks in angle brackets become entities, brackets are
 * escaped so no `[x](…)` link or `![x](…)` image can form, and what GitHub would turn into a link by itself
 * (`scheme://`, `www.`, `user@host`) has the character that triggers it written as an entity, which shows
 * the same but starts no link. Pipes cannot split a table cell.
 */
export function displayMarkdown(s: string): string {
  return displayText(s)
    .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)
    .replace(/[\\[\]|]/g, (c) => `\\${c}`)
    .replace(/:\/\//g, '&#58;//')
    .replace(/www\./gi, (w) => `${w.slice(0, 3)}&#46;`)
    .replace(/@/g, '&#64;');
}
