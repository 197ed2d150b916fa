/** Where the package lives on disk, so profiles/ and fixtures/ resolve the same from src/ (vitest) and dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
