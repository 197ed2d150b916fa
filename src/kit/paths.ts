/** Where the package lives on disk, so profiles/ and fixtures/ resolve the same from src/ (vitest) and dist/. */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ToolError } from './check.js';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'openport-conform') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('openport-conform: cannot locate the package root (package.json)');
    dir = up;
  }
}

export const PACKAGE_ROOT = findRoot();
export const TOOL_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
export const USER_AGENT = `openport-conform/${TOOL_VERSION}`;

/**
 * `mkdir -p` that cannot hang: Node's recursive mkdir loops for ever under a directory that answers a new entry
 * with ENOENT (/proc), so each missing directory is made on its own, from the nearest existing one down, and the
 * first refusal is thrown.
 */
/** The folder of the file --out names, made now (exit 2 saying why when it cannot be): before any work, not after it. */
export function makeFolderOf(file: string): void {
  try {
    makeDirs(dirname(resolve(file)));
  } catch (e) {
    throw new ToolError(`--out ${file}: cannot create its folder (${(e as Error).message})`, 2);
  }
}

export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !existsSync(at) && dirname(at) !== at; at = dirname(at)) missing.unshift(at);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  // As mkdir -p: a file where the directory should be is a refusal too.
  if (!statSync(dir).isDirectory()) throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${dir}'`), { code: 'EEXIST' });
}
