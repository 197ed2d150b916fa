// Installs what the official MCP conformance suite needs into .tmp/ when it is not there yet: the current
// Node LTS (the suite needs Node >= 22; the project runs on 20) from the npm registry's `node` package, and
// the suite itself, pinned. Prints the two paths as JSON. Used by test/runner/mcp-conformance.test.ts and
// by .ci/run (which also runs the whole suite on that Node).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_LTS = 26;
export const CONFORMANCE = '@modelcontextprotocol/conformance@0.1.16';
const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const quiet = ['--no-save', '--no-audit', '--no-fund', '--loglevel=error'];

export function ensureMcpConformance() {
  const lts = join(root, '.tmp', 'node-lts');
  const node = join(lts, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(node)) execFileSync(npm, ['install', '--prefix', lts, ...quiet, `node@${NODE_LTS}`], { stdio: 'inherit', timeout: 300_000 });
  const conf = join(root, '.tmp', 'mcp-conformance');
  const suite = join(conf, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
  if (!existsSync(suite)) execFileSync(npm, ['install', '--prefix', conf, ...quiet, '--engine-strict=false', CONFORMANCE], { stdio: 'inherit', timeout: 300_000 });
  if (!existsSync(node) || !existsSync(suite)) throw new Error(`could not install node@${NODE_LTS} and ${CONFORMANCE} into .tmp/`);
  return { node, suite };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(`${JSON.stringify(ensureMcpConformance())}\n`);
