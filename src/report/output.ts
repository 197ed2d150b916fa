/** Output hygiene shared by every reporter: secrets scrubbed, files replaced atomically. */
import { rename, unlink, writeFile } from 'node:fs/promises';
import { redactToken } from '../protocol/redact.js';

// Agent tokens of the authors' runtime are `op_` + base64url(32 bytes); anything shorter than 16 chars
// after the prefix is already a redacted prefix and is left alone.
const OP_TOKEN = /op_[A-Za-z0-9_-]{16,}/g;

/** Replace every known secret, and anything shaped like an agent token, by its prefix plus `…`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const s of [...secrets].filter((x) => x.length >= 6).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join(redactToken(s));
  }
  return out.replace(OP_TOKEN, (m) => redactToken(m));
}

/**
 * Write `<file>.tmp-<pid>` then rename over `file`, so readers never see a partial report and a
 * failed write leaves nothing behind.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
