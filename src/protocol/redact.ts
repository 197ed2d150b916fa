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
 * plus `…`. The one scrubber for curl lines, console output and report files.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole. Every length counts: a secret is
  // never shown in full, however short.
  for (const s of [...new Set(secrets)].filter((x) => x.length > 0).sort((a, b) => b.length - a.length)) {
    if (!out.includes(s)) continue;
    out = s.length >= SHORT_SECRET
      ? out.split(s).join(redactToken(s))
      : out.replace(new RegExp(`(?<![A-Za-z0-9_\\-])${escapeRegExp(s)}(?![A-Za-z0-9_\\-])`, 'g'), redactToken(s));
  }
  return out
    .replace(BEARER, (_, b: string, t: string) => b + redactToken(t))
    .replace(OP_TOKEN, (m) => redactToken(m))
    .replace(SECRET_FIELD, (_, k: string, v: string) => `${k}${v.includes('\\') ? '…' : redactToken(v)}"`);
}

/**
 * Does the text still hold a value the scrubber would redact (an agent token, a bearer credential, a
 * credential-named field that is not already a prefix plus `…`)? For leak scans of redacted files.
 */
export function looksSecret(text: string): boolean {
  const fresh = (re: RegExp, ok: (m: RegExpExecArray) => boolean) => [...text.matchAll(new RegExp(re.source, re.flags))].some((m) => !ok(m));
  return fresh(OP_TOKEN, () => false) || fresh(BEARER, () => false) || fresh(SECRET_FIELD, (m) => m[2]!.endsWith('…'));
}
