#!/usr/bin/env node
// The process layer: the CLI (dist/src/cli/main.js) runs on this process's streams, environment and signals,
// and its exit code becomes the process's.
import { statSync } from 'node:fs';
import module from 'node:module';

// Node 22.1 and later keep the compiled code of the ~250 modules a run loads in a cache (NODE_COMPILE_CACHE, or
// the system's temporary directory), so a second start does not compile them again. Older Node has no such
// cache and starts as before.
module.enableCompileCache?.();
// The CLI bundled into one module graph (scripts/bundle.mjs: Node's loader then reads a few chunks, not ~240
// modules), when it is at least as new as the last compile; after a compile that did not bundle again (`tsc`
// alone) the compiled modules themselves, so the code that runs is never older than the build.
const dist = new URL('../dist/', import.meta.url);
const mtime = (name) => {
  try {
    return statSync(new URL(name, dist)).mtimeMs;
  } catch {
    return undefined;
  }
};
const bundled = mtime('cli/main.js');
const entry = bundled !== undefined && bundled >= (mtime('tsconfig.tsbuildinfo') ?? 0) ? '../dist/cli/main.js' : '../dist/src/cli/main.js';
const { main, processIo } = await import(entry);

// A reader that closes the pipe early (`openport-conform explain X | head`) is not a failure of the tool.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw e;
});

const { code, settled } = await main(process.argv.slice(2), processIo());
process.exitCode = code;
if (settled) {
  // A finished run or a failure must not hang on a stray keep-alive socket or timer; a long-running
  // command (serve) never settles and keeps the process alive by itself.
  setTimeout(() => process.exit(code), 2000).unref();
}
