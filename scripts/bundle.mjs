// Bundles the compiled CLI (dist/src/cli/main.js, the journal's writer thread, the threads judging mutants, and everything it imports of src/, suites/ and fuzz/) into
// dist/cli/: Node's ESM loader resolves, reads and links each module on its own, and a run loads about 240 of
// ours, a fifth of the time of an embedded run. Sub-commands and the modules loaded on demand stay separate
// chunks (--splitting), so `--help` still loads only what it needs. Packages from node_modules stay imports
// (bundling them made start-up slower: more code to parse than the loader saved). bin/openport-conform.js
// loads this bundle only when it is newer than the last compile (docs/architecture.md, "Start-up").
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// A path, not a URL's pathname: a checkout under a folder with a space or non-ASCII name must build too.
const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/cli`;
rmSync(outdir, { recursive: true, force: true });
await build({
  // The journal's writer thread (src/runner/journal-writer.ts) and the threads judging mutants (src/cli/mutate-thread.ts)
  // are started by their file names beside the module that starts them.
  entryPoints: [
    { in: `${root}dist/src/cli/main.js`, out: 'main' },
    { in: `${root}dist/src/runner/journal-writer.js`, out: 'journal-writer' },
    { in: `${root}dist/src/cli/mutate-thread.js`, out: 'mutate-thread' },
  ],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
