/** Secrets are shown as a short prefix plus an ellipsis, never in full. */
export function redactToken(token: string | undefined | null): string {
  if (!token) return '';
  return `${token.slice(0, Math.min(8, Math.max(0, token.length - 4)))}…`;
}

// Agent tokens of the authors' runtime are `op_` + base64url(32 bytes); anything shorter than 16 chars
// after the prefix is already a redacted prefix and is left alone.
const OP_TOKEN = /op_[A-Za-z0-9_-]{16,}/g;
const BEARER = /(Bearer\s+)([A-Za-z0-9_\-.~+/]{12,}=*)/gi;

/**
 * Replace every known secret, any bearer credential and anything shaped like an agent token by its prefix
 * plus `…`. The one scrubber for curl lines, console output and report files.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const s of [...secrets].filter((x) => x.length >= 6).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join(redactToken(s));
  }
  return out.replace(BEARER, (_, b: string, t: string) => b + redactToken(t)).replace(OP_TOKEN, (m) => redactToken(m));
}
