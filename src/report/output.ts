/** Output hygiene shared by every reporter: secrets scrubbed, files replaced atomically. */
import { rename, unlink, writeFile } from 'node:fs/promises';

export { redactSecrets } from '../protocol/redact.js';

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
