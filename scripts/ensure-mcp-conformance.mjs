// Installs what the official MCP conformance suite and the MCP Inspector's CLI need when it is not there yet:
// the current Node LTS (both need Node >= 22; the project runs on 20), the suite, and the Inspector. Each comes
// from a lockfile committed under tools/ (`npm ci`: exact versions with integrity hashes, nothing resolved
// from a range at test time, and no install scripts — the Node LTS is the registry's per-platform binary
// package). Prints the paths as JSON (`--inspector`: the Inspector's). Used by test/runner/mcp-conformance.test.ts,
// test/runtime/mcp-inspector.test.ts and by .ci/run (which also runs the whole suite on that Node). To move to
// the next LTS, change the version in tools/node-lts/package.json and run `npm install --package-lock-only`
// there (the same for a tool's pinned version in its own package.json).
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

/** This machine's Node LTS binary, installed from tools/node-lts on first use. */
function ensureNodeLts() {
  if (!(platformPackage in manifest('node-lts').optionalDependencies)) {
    throw new Error(`no locked Node ${NODE_LTS} binary for ${process.platform}-${process.arch} in tools/node-lts; install Node ${NODE_LTS} yourself and set NODE_LTS_BIN to its node binary`);
  }
  const node = process.env.NODE_LTS_BIN ?? join(tools, 'node-lts', 'node_modules', platformPackage, 'bin', 'node');
  if (!existsSync(node)) execFileSync(npm, ['ci', '--prefix', join(tools, 'node-lts'), ...quiet], { stdio: ['ignore', 2, 2], timeout: 300_000 });
  return node;
}

/** The file `entry` (relative to its node_modules) of the tool locked under tools/<dir>, installed on first use. */
function ensureLockedTool(dir, entry) {
  const file = join(tools, dir, 'node_modules', entry);
  if (!existsSync(file)) {
    execFileSync(npm, ['ci', '--prefix', join(tools, dir), ...quiet, '--ignore-scripts', '--engine-strict=false'], { stdio: ['ignore', 2, 2], timeout: 300_000 });
  }
  return file;
}

export function ensureMcpConformance() {
  const node = ensureNodeLts();
  const suite = ensureLockedTool('mcp-conformance', join('@modelcontextprotocol', 'conformance', 'dist', 'index.js'));
  if (!existsSync(node) || !existsSync(suite)) throw new Error(`could not install Node ${ltsVersion} and ${CONFORMANCE} from tools/`);
  return { node, suite, bin: dirname(node) };
}

const inspectorVersion = manifest('mcp-inspector').dependencies['@modelcontextprotocol/inspector'];
export const INSPECTOR = `@modelcontextprotocol/inspector@${inspectorVersion}`;

/** The Node LTS and the pinned MCP Inspector's launcher (`node <inspector> --cli <url> …` is its CLI mode). */
export function ensureMcpInspector() {
  const node = ensureNodeLts();
  const inspector = ensureLockedTool('mcp-inspector', join('@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js'));
  if (!existsSync(node) || !existsSync(inspector)) throw new Error(`could not install Node ${ltsVersion} and ${INSPECTOR} from tools/`);
  return { node, inspector, bin: dirname(node) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(process.argv.includes('--inspector') ? ensureMcpInspector() : ensureMcpConformance())}\n`);
}
