// Installs what the official MCP conformance suite and the MCP Inspector's CLI need when it is not there yet:
// the current Node LTS (both need Node >= 22; the project runs on 20), the suite, and the Inspector. Each comes
// from a lockfile committed under tools/ (`npm ci`: exact versions with integrity hashes, nothing resolved
// from a range at test time, and no install scripts — the Node LTS is the registry's per-platform binary
// package). Prints the paths as JSON (`--inspector`: the Inspector's). Used by test/runner/mcp-conformance.test.ts,
// test/runtime/mcp-inspector.test.ts and by .ci/run (which also runs the whole suite on that Node). To move to
// the next LTS, change the version in tools/node-lts/package.json and run `npm install --package-lock-only`
// there (the same for a tool's pinned version in its own package.json).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** `npm ci` of the lockfile in tools/<dir>. */
const npmCi = (dir, flags) => execFileSync(npm, ['ci', '--prefix', join(tools, dir), ...quiet, ...flags], { stdio: ['ignore', 2, 2], timeout: 300_000 });

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
/** How long a process waits for another one's install of the same tool before giving up. */
const INSTALL_WAIT_MS = 600_000;

/** Whether the process `pid` still runs. */
function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * Runs `install` unless `file` is there, one process at a time: test files that need the same tool run in
 * parallel workers, and a second `npm ci` deletes the node_modules the first one installed, under a test already
 * running its binary. The lock is a directory (`lock`, made atomically) holding the installer's pid; a lock whose
 * process is gone is taken over. A process that finds the lock waits for it to go (bounded), then uses what the
 * other one installed.
 */
export function installOnce(lock, file, install) {
  if (existsSync(file) && !existsSync(lock)) return;
  const giveUp = Date.now() + INSTALL_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // Made, its pid not written yet: wait.
    }
    if (Number.isInteger(holder) && holder > 0 && !running(holder)) rmSync(lock, { recursive: true, force: true });
    else if (Date.now() > giveUp) throw new Error(`another process has been installing for ${INSTALL_WAIT_MS / 60_000} min (lock ${lock}); remove that directory if no install runs`);
    else sleep(250);
  }
  try {
    if (!existsSync(file)) install();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** This machine's Node LTS binary, installed from tools/node-lts on first use. */
function ensureNodeLts() {
  if (process.env.NODE_LTS_BIN) return process.env.NODE_LTS_BIN;
  if (!(platformPackage in manifest('node-lts').optionalDependencies)) {
    throw new Error(`no locked Node ${NODE_LTS} binary for ${process.platform}-${process.arch} in tools/node-lts; install Node ${NODE_LTS} yourself and set NODE_LTS_BIN to its node binary`);
  }
  const node = join(tools, 'node-lts', 'node_modules', platformPackage, 'bin', 'node');
  installOnce(join(tools, 'node-lts', '.installing'), node, () => npmCi('node-lts', []));
  return node;
}

/** The file `entry` (relative to its node_modules) of the tool locked under tools/<dir>, installed on first use. */
function ensureLockedTool(dir, entry) {
  const file = join(tools, dir, 'node_modules', entry);
  installOnce(join(tools, dir, '.installing'), file, () => npmCi(dir, ['--ignore-scripts', '--engine-strict=false']));
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
