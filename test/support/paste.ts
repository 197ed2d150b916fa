/**
 * A workspace for tests that paste printed command lines into a shell: a temporary directory with
 * `openport-conform` on PATH (as after `npm install -g`, running this checkout's bin), and a fresh working
 * directory per paste so that each pasted run writes its own openport-report/.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const bin = join(resolve(import.meta.dirname, '..', '..'), 'bin', 'openport-conform.js');

export interface PasteWorkspace {
  /** PATH with the tool's folder first. */
  readonly path: string;
  /** A fresh directory under the workspace, named `<prefix>NNNN`. */
  fresh(prefix: string): string;
  remove(): void;
}

export function pasteWorkspace(prefix: string): PasteWorkspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const pathDir = join(dir, 'bin');
  mkdirSync(pathDir);
  writeFileSync(join(pathDir, 'openport-conform'), `#!/bin/sh\nexec '${process.execPath}' '${bin}' "$@"\n`);
  chmodSync(join(pathDir, 'openport-conform'), 0o755);
  return {
    path: `${pathDir}:${process.env.PATH}`,
    fresh: (p) => mkdtempSync(join(dir, p)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
