// Installs what the official MCP conformance suite needs when it is not there yet: the current Node LTS (the
// suite needs Node >= 22; the project runs on 20) and the suite itself. Both come from lockfiles committed
// under tools/ (`npm ci`: exact versions with integrity hashes, nothing resolved from a range at test time,
// and no install scripts — the Node LTS is the registry's per-platform binary package). Prints the paths as
// JSON. Used by test/runner/mcp-conformance.test.ts and by .ci/run (which also runs the whole suite on
// that Node). To move to the next LTS, change the version in tools/node-lts/package.json and run
// `npm install --package-lock-only` there.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tools = join(root, 'tools');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
const manifest = (dir) => JSON.parse(readFileSync(join(tools, dir, 'package.json'), 'utf8'));

/** The platform package that carries this machine's Node LTS binary, and its pinned version. */
const platformPackage = `node-${process.platform}-${process.arch}`;
const ltsVersion = Object.values(manifest('node-lts').optionalDependencies)[0];
export const NODE_LTS = Number(ltsVersion.split('.')[0]);
const suiteVersion = manifest('mcp-conformance').dependencies['@modelcontextprotocol/conformance'];
export const CONFORMANCE = `@modelcontextprotocol/conformance@${suiteVersion}`;

export function ensureMcpConformance() {
  if (!(platformPackage in manifest('node-lts').optionalDependencies)) {
    throw new Error(`no locked Node ${NODE_LTS} binary for ${process.platform}-${process.arch} in tools/node-lts; install Node ${NODE_LTS} yourself and set NODE_LTS_BIN to its node binary`);
  }
  const node = process.env.NODE_LTS_BIN ?? join(tools, 'node-lts', 'node_modules', platformPackage, 'bin', 'node');
  if (!existsSync(node)) execFileSync(npm, ['ci', '--prefix', join(tools, 'node-lts'), ...quiet], { stdio: ['ignore', 2, 2], timeout: 300_000 });
  const suite = join(tools, 'mcp-conformance', 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
  if (!existsSync(suite)) {
    execFileSync(npm, ['ci', '--prefix', join(tools, 'mcp-conformance'), ...quiet, '--ignore-scripts', '--engine-strict=false'], { stdio: ['ignore', 2, 2], timeout: 300_000 });
  }
  if (!existsSync(node) || !existsSync(suite)) throw new Error(`could not install Node ${ltsVersion} and ${CONFORMANCE} from tools/`);
  return { node, suite, bin: dirname(node) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(`${JSON.stringify(ensureMcpConformance())}\n`);
