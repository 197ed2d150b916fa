/** Secrets are shown as a short prefix plus an ellipsis, never in full. */
export function redactToken(token: string | undefined | null): string {
  if (!token) return '';
  return `${token.slice(0, Math.min(8, Math.max(0, token.length - 4)))}…`;
}
