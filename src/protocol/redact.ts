/** Header names that carry credentials; any other header (an operator id such as x-admin-user) only identifies. */
export function isCredentialHeader(name: string): boolean {
  return /auth|cookie|token|secret|key|pass/i.test(name);
}

/** Secrets are shown as a short prefix plus an ellipsis, never in full. */
export function redactToken(token: string | undefined | null): string {
  if (!token) return '';
  return `${token.slice(0, Math.min(8, Math.max(0, token.length - 4)))}…`;
}

// Agent tokens of the authors' runtime are `op_` + base64url(32 bytes); anything shorter than 16 chars
// after the prefix is already a redacted prefix and is left alone.
const OP_TOKEN = /op_[A-Za-z0-9_-]{16,}/g;
const BEARER = /(Bearer\s+)([A-Za-z0-9_\-.~+/]{12,}=*)/gi;
// Credential-named JSON string fields (a created key's token before the run knows it is a secret).
const SECRET_FIELD = /("(?:token|agentToken|access_token|refresh_token|secret|password|api_key|apiKey)"\s*:\s*")((?:[^"\\]|\\.)+)"/g;
/** Shorter secrets are only replaced where they stand alone, so a 1-character secret does not eat every letter. */
const SHORT_SECRET = 4;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replace every known secret, any bearer credential and anything shaped like an agent token by its prefix
 * plus `…`. The one scrubber for curl lines, console output and report files. A run's journal, which
 * redacts every exchange, uses a SecretMatcher instead: the same output without a pass per secret.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  // Longest first, so a secret that contains another is replaced whole. Every length counts: a secret is
  // never shown in full, however short.
  // Each also as JSON text writes it (escapedForms), ties in the order given.
  const ordered = [...new Set(secrets)].filter((x) => x.length > 0).flatMap((x) => [{ secret: x, shown: redactToken(x) }, ...escapedForms(x)])
    .map((f, order) => ({ ...f, order })).sort((a, b) => b.secret.length - a.secret.length || a.order - b.order);
  // Its jsonUnescaped form when that differs and holds a secret (a server that escaped one to slip past a
  // search of the raw text, even beside a plain copy), else the text itself.
  const view = ordered.length > 0 ? jsonUnescaped(text) : text;
  const shown = view !== text && ordered.some((x) => view.includes(x.secret)) ? view : text;
  return redactShapes(replaceInOrder(shown, ordered));
}

const PLAIN_EVERYWHERE = /^[A-Za-z0-9_.-]*$/;

/**
 * How a secret reads besides itself: as the content of a JSON string (a `"` written `\"`, a `\` written `\\`, a
 * control character escaped), and that once more (JSON quoted in a JSON string: a message that quotes a body);
 * and percent-encoded in a URL (a query parameter, as encodeURIComponent and URLSearchParams write it). Each
 * with what replaces it there: the secret's redacted form written the same way, so the text stays valid JSON.
 * None for a secret every one of them writes as it is (every token of the protocol's shape).
 */
function escapedForms(secret: string): Form[] {
  // Letters, digits, `_`, `-` and `.` are written as they are in every form: no pass for the usual token.
  if (PLAIN_EVERYWHERE.test(secret)) return [];
  const prefix = redactToken(secret).slice(0, -1);
  const json = (x: string) => JSON.stringify(x).slice(1, -1);
  const query = (x: string) => new URLSearchParams({ x }).toString().slice(2);
  const forms = new Map<string, string>();
  for (const write of [json, (x: string) => json(json(x)), encodeURIComponent, query]) {
    try {
      forms.set(write(secret), `${write(prefix)}…`);
    } catch {
      // A lone surrogate (in the secret, or where the prefix cuts an emoji in two) has no URL form.
    }
  }
  forms.delete(secret);
  // A secret under SHORT_SECRET characters is replaced where it stands alone in every form, as itself.
  const short = secret.length < SHORT_SECRET;
  return [...forms].map(([form, shown]) => ({ secret: form, shown, short }));
}

/**
 * JSON text with the escapes of ordinary characters written out (`\u0061` as `a`, `\/` as `/`): the same JSON
 * value, in which a secret a server sent escaped character by character reads as itself. Escapes of quotes,
 * backslashes, control characters and surrogates stay (writing those out would change the value or the
 * text's validity). Text without such an escape is returned as it is. One pass, escape pairs read left to
 * right (so an escaped backslash before "u0061" is no escape); the last text asked about is remembered, since
 * the journal, the leak checks and the reports ask about the same body in turn.
 */
export function jsonUnescaped(text: string): string {
  if (text === unescapedFrom) return unescapedTo;
  let at = text.indexOf('\\');
  if (at < 0) return text;
  let out = '';
  let copied = 0;
  while (at >= 0 && at < text.length - 1) {
    const next = text.charCodeAt(at + 1);
    let width = 2;
    let written: string | undefined;
    if (next === 0x2f) written = '/';
    else if (next === 0x75 && at + 6 <= text.length) {
      const c = hex4(text, at + 2);
      if (c >= 0) {
        width = 6;
        // A quote, a backslash or a control character is written as JSON.stringify writes it (`\"`, `\\`,
        // `\n`, `\u001f`): the same value, and the form escapedForms searches for.
        if (c < 0x20 || c === 0x22 || c === 0x5c) written = JSON.stringify(String.fromCharCode(c)).slice(1, -1);
        else if (!(c >= 0xd800 && c <= 0xdfff)) written = String.fromCharCode(c);
      }
    }
    if (written !== undefined) {
      out += text.slice(copied, at) + written;
      copied = at + width;
    }
    at = text.indexOf('\\', at + width);
  }
  const result = copied === 0 ? text : out + text.slice(copied);
  unescapedFrom = text;
  unescapedTo = result;
  return result;
}
let unescapedFrom: string | undefined;
let unescapedTo = '';

/** The value of the four hex digits at `at`, or -1. */
function hex4(text: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 4; i++) {
    const c = text.charCodeAt(i);
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** A form of a secret to search for, what replaces it, and whether the secret is short (replaced only where it stands alone). */
interface Form { secret: string; shown: string; short?: boolean }

/** Replace each secret by what shows it in turn (the caller orders them: longest first, ties in the order they were learnt). */
function replaceInOrder(text: string, ordered: readonly Form[]): string {
  let out = text;
  for (const { secret: s, shown, short } of ordered) {
    if (!out.includes(s)) continue;
    out = !(short ?? s.length < SHORT_SECRET)
      ? out.split(s).join(shown)
      : out.replace(new RegExp(`(?<![A-Za-z0-9_\\-])${escapeRegExp(s)}(?![A-Za-z0-9_\\-])`, 'g'), () => shown);
  }
  return out;
}

/** Values redacted by their shape alone: bearer credentials, agent tokens, credential-named JSON fields. */
function redactShapes(text: string): string {
  return text
    .replace(BEARER, (_, b: string, t: string) => b + redactToken(t))
    .replace(OP_TOKEN, (m) => redactToken(m))
    .replace(SECRET_FIELD, (_, k: string, v: string) => `${k}${v.includes('\\') ? '…' : redactToken(v)}"`);
}

/** How to search a secrets list (kept while the list lives): its matcher's own index, or one made for the list. */
const LIST_SEARCH = new WeakMap<readonly string[], (text: string) => string[]>();

/**
 * The members of `secrets` that occur in `text`, in list order, in time linear in the text. A list handed
 * out by a SecretMatcher (a run's secrets or credentials) is searched with that matcher; any other list is
 * indexed once, on first use.
 */
export function secretsIn(text: string, secrets: readonly string[]): string[] {
  let search = LIST_SEARCH.get(secrets);
  if (!search) {
    const m = new SecretMatcher();
    for (const s of secrets) m.add(s);
    search = (t) => m.find(t);
    LIST_SEARCH.set(secrets, search);
  }
  return search(text);
}

/** Secrets of this length or more are indexed by their first PREFIX characters; shorter ones by all of theirs. */
const PREFIX = 8;
/** Shorter credentials are redacted but their echo is not counted (they match ordinary text by chance). */
export const MIN_ECHO = 4;

interface Known {
  /** What is searched for: the secret, or one of its escapedForms. */
  secret: string;
  /** What replaces it. */
  shown: string;
  /** A form of a short secret: replaced only where it stands alone, as the secret is. */
  short?: boolean;
  /** The secret learnt, for a form of it (what find() names and echoes() counts once). */
  of: string;
  /** The order it was learnt: ties of length are replaced in this order, as redactSecrets does. */
  order: number;
  /** False for values that only identify (an operator name): redacted, never counted as an echo. */
  credential: boolean;
  /** A credential of MIN_ECHO+ characters: its presence in a response counts as an echo. */
  echo: boolean;
}

/** The secrets whose first `width` characters (all of them, for shorter ones) are a given string. */
interface Window {
  width: number;
  byPrefix: Map<string, Known[]>;
  /**
   * One bit per pair of first two characters (their low bytes; for width 1 the first character): most
   * positions of a text, where no secret starts, are ruled out with one array read.
   */
  lead: Uint8Array;
  /** The distinct first LEAD characters of its secrets: while there are few, each is searched natively instead. */
  heads: Set<string>;
}

/** The characters of a secret's start that `heads` holds (fewer for shorter windows). */
const LEAD = 3;
/** Up to this many distinct heads (a run's tokens mostly share one), a text is searched for each with indexOf. */
const NATIVE_HEADS = 8;

/** The `lead` bit of a position whose first two characters are c0 and c1. */
function leadKey(c0: number, c1: number, width: number): number {
  return width === 1 ? c0 : ((c0 & 0xff) << 8) | (c1 & 0xff);
}

const NONE: readonly Known[] = [];

/**
 * The secrets of a run, learnt as it goes, and one pass over a text that both redacts it and counts the
 * credentials it carried. A prefix index (each secret under its first PREFIX characters, one index per
 * width below that) finds every secret present in time linear in the text, whatever the number of
 * secrets; only those are then replaced, longest first, exactly as redactSecrets replaces the whole list.
 * That is the same output because a replacement only writes a secret's own prefix and `…`: a secret that
 * does not occur in the text cannot occur after any replacement either, unless it holds a `…` itself
 * (such secrets are always tried).
 */
export class SecretMatcher {
  /** Every form searched for (escapedForms too), by that form. */
  private readonly known = new Map<string, Known>();
  /** The secrets learnt, in the order learnt, each with whether it was added as a credential. */
  private readonly learnt = new Map<string, boolean>();
  private readonly windows: Window[] = [];
  private readonly withEllipsis: Known[] = [];
  private listed: { all: string[]; credentials: string[] } | undefined;

  /** Learn `secret` (empty and known ones are ignored). `credential: false` for values that only identify (never counted as echoes). */
  add(secret: string, credential = true): void {
    if (secret.length === 0 || this.learnt.has(secret)) return;
    const forms = [{ secret, shown: redactToken(secret) }, ...escapedForms(secret)];
    this.learnt.set(secret, credential);
    this.listed = undefined;
    const echo = credential && secret.length >= MIN_ECHO;
    for (const form of forms) {
      // A form that is another secret learnt before stays that secret's.
      if (!this.known.has(form.secret)) this.index({ ...form, of: secret, order: this.known.size, credential, echo });
    }
  }

  private index(k: Known): void {
    const { secret } = k;
    this.known.set(secret, k);
    if (secret.includes('…')) this.withEllipsis.push(k);
    const width = Math.min(PREFIX, secret.length);
    let w = this.windows.find((x) => x.width === width);
    if (!w) {
      w = { width, byPrefix: new Map(), lead: new Uint8Array(1 << 13), heads: new Set() };
      this.windows.push(w);
    }
    const prefix = secret.slice(0, width);
    const same = w.byPrefix.get(prefix);
    if (same) same.push(k);
    else w.byPrefix.set(prefix, [k]);
    const lead = leadKey(secret.charCodeAt(0), secret.charCodeAt(1), width);
    w.lead[lead >>> 3] |= 1 << (lead & 7);
    w.heads.add(secret.slice(0, Math.min(LEAD, width)));
  }

  /** How many secrets it has learnt. */
  get size(): number {
    return this.learnt.size;
  }

  /** The secrets learnt from the `from`-th on, in the order learnt, each with whether it was added as a credential. */
  learntSince(from: number): { secret: string; credential: boolean }[] {
    return [...this.learnt].slice(from).map(([secret, credential]) => ({ secret, credential }));
  }

  /** Every secret in the order learnt (a stable array until the next new secret). */
  get secrets(): readonly string[] {
    return this.lists().all;
  }

  /** The secrets added as credentials, in the order learnt (a stable array until the next new secret). */
  get credentials(): readonly string[] {
    return this.lists().credentials;
  }

  private lists(): { all: string[]; credentials: string[] } {
    if (!this.listed) {
      const all = [...this.learnt];
      this.listed = { all: all.map(([x]) => x), credentials: all.filter(([, credential]) => credential).map(([x]) => x) };
      // secretsIn searches a list this matcher handed out with the matcher itself.
      LIST_SEARCH.set(this.listed.all, (text) => this.find(text));
      LIST_SEARCH.set(this.listed.credentials, (text) => this.find(text, true));
    }
    return this.listed;
  }

  /** The secrets (or only the credentials) that occur in `text` (also escaped, see jsonUnescaped), in the order learnt. */
  find(text: string, credentialsOnly = false): string[] {
    // A secret's own form is indexed before its escaped ones: the least order of each is the order it was learnt.
    const first = new Map<string, number>();
    for (const k of this.present(jsonUnescaped(text))) if ((k.credential || !credentialsOnly) && !(first.get(k.of)! <= k.order)) first.set(k.of, k.order);
    return [...first].sort((a, b) => a[1] - b[1]).map(([x]) => x);
  }

  /** The text as redactSecrets(text, this.secrets) gives it. */
  redact(text: string): string {
    return this.scan(text).text;
  }

  /** How many distinct credentials (of MIN_ECHO+ characters) the text carries. */
  echoes(text: string): number {
    return echoesOf(this.present(jsonUnescaped(text)));
  }

  /** Redact the text and count the credentials it carried, in one pass. */
  scan(raw: string): { text: string; echoes: number } {
    const view = jsonUnescaped(raw);
    const inView = view === raw ? undefined : this.present(view);
    const text = inView !== undefined && inView.length > 0 ? view : raw;
    const found = text === view && inView !== undefined ? inView : this.present(raw);
    if (found.length === 0) return { text: redactShapes(text), echoes: 0 };
    const ordered = [...new Set([...found, ...this.withEllipsis])].sort((a, b) => b.secret.length - a.secret.length || a.order - b.order);
    return { text: redactShapes(replaceInOrder(text, ordered)), echoes: echoesOf(found) };
  }

  /** The known secrets that occur in `text`, each once. */
  private present(text: string): readonly Known[] {
    let found: Set<Known> | undefined;
    for (const { width, byPrefix, lead, heads } of this.windows) {
      const last = text.length - width;
      const at = (i: number) => {
        const same = byPrefix.get(text.slice(i, i + width));
        if (same) for (const k of same) if (!found?.has(k) && text.startsWith(k.secret, i)) (found ??= new Set()).add(k);
      };
      if (heads.size <= NATIVE_HEADS) {
        // Every secret starts with one of a few heads: the engine's own search finds their places.
        for (const head of heads) for (let i = text.indexOf(head); i >= 0 && i <= last; i = text.indexOf(head, i + 1)) at(i);
        continue;
      }
      // Each character is read once: it is the second of one pair, then the first of the next.
      let next = text.charCodeAt(0);
      for (let i = 0; i <= last; i++) {
        const c = next;
        next = text.charCodeAt(i + 1);
        const l = leadKey(c, next, width);
        if ((lead[l >>> 3]! & (1 << (l & 7))) === 0) continue;
        at(i);
      }
    }
    return found ? [...found] : NONE;
  }
}

/** How many distinct echoing credentials the found forms belong to. */
function echoesOf(found: readonly Known[]): number {
  return new Set(found.filter((k) => k.echo).map((k) => k.of)).size;
}

/**
 * Does the text still hold a value the scrubber would redact (an agent token, a bearer credential, a
 * credential-named field that is not already a prefix plus `…`)? For leak scans of redacted files.
 */
export function looksSecret(text: string): boolean {
  const fresh = (re: RegExp, ok: (m: RegExpExecArray) => boolean) => [...text.matchAll(new RegExp(re.source, re.flags))].some((m) => !ok(m));
  return fresh(OP_TOKEN, () => false) || fresh(BEARER, () => false) || fresh(SECRET_FIELD, (m) => m[2]!.endsWith('…'));
}
