/**
 * The one sanitizer for text that may come from the target (codes, messages, bodies, header values) on its
 * way to a reader. Control characters (C0 but tab and newline, DEL, C1 — the 8-bit CSI U+009B included)
 * become "?", so nothing can move the cursor, clear the screen, set a window title or recolour a line; the
 * bidirectional controls that make a line read differently from its bytes (U+202A–U+202E, U+2066–U+2069,
 * U+200E/U+200F, U+061C) become a visible "⟨U+202E⟩". Raw bytes stay only in the journal.
 */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function displayText(s: string): string {
  return s.replace(CONTROL, '?').replace(BIDI, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

/** displayText on one line: a newline cannot forge a line of its own (a summary, a "PASS" row). */
export function displayLine(s: string): string {
  return displayText(s.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}
