// The machinery of the CI-recipe tests (action.test.ts, recipes-pass.test.ts, recipes-fail.test.ts):
// action.yml and the recipes of docs/ci.md, executed: every `run:` step (and GitLab `script:` line) runs in
// bash -eo pipefail, as GitHub runs it, with GITHUB_OUTPUT and GITHUB_STEP_SUMMARY set; the tests check
// what they wrote. `uses:` steps of other actions and `npm ci` cannot run here and are the only ones skipped.
// Three test files share it so that parallel workers share the recipes (each recipe is a few whole gate runs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';

export const root = resolve(import.meta.dirname, '..', '..');
export const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'));
export const ACTION_ONLY = ['upload-sarif', 'sarif-category'];
/** Scratch directories the tests made; each test file removes them after its tests (afterAll(removeScratch)). */
export const cleanups: string[] = [];
export const removeScratch = () => cleanups.forEach((d) => rmSync(d, { recursive: true, force: true }));

/** A repository that has openport-conform as a dev dependency (linked to this checkout) and a clean dist/. */
export function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'opc-ci-'));
  cleanups.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'gated-app', private: true, devDependencies: { 'openport-conform': 'file:' + root } }));
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(root, join(dir, 'node_modules', 'openport-conform'));
  symlinkSync(join('..', 'openport-conform', 'bin', 'openport-conform.js'), join(dir, 'node_modules', '.bin', 'openport-conform'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'app.js'), 'export const answer = 42;\n');
  writeFileSync(join(dir, 'openport-baseline.yaml'), 'entries: []\n');
  // The repository's gate config (picked up from the working directory): a small budget keeps the test quick.
  writeFileSync(join(dir, 'openport-gate.yaml'), 'profile: core\nfuzz: { runs: 20, timeMs: 2000 }\n');
  // A full clone with history, as the recipes check out (fetch-depth: 0), so a history scan has commits to read.
  writeFileSync(join(dir, '.gitignore'), 'node_modules\nopenport-report\nshards\n.summary-*\n.output-*\n');
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'first release');
  writeFileSync(join(dir, 'dist', 'app.js'), 'export const answer = 42;\nexport const question = 6 * 7;\n');
  git('commit', '-qam', 'second release');
  return dir;
}

/** What a CI system hands a job besides its YAML: repository variables and secrets (`${{ vars.X }}`, `${{ secrets.X }}`). */
export interface Ci { vars: Record<string, string>; secrets: Record<string, string> }
export const NO_CI: Ci = { vars: {}, secrets: {} };
/** Files a job writes into (summary, step outputs) are numbered, never reused. */
let written = 0;

interface Job { cwd: string; env: Record<string, string>; ci: Ci; steps: Record<string, Record<string, string>>; inputs: Record<string, string>; matrix: Record<string, string>; summary: string; failed: boolean; ran: number; log: string[] }

export function newJob(cwd: string, env: Record<string, string> = {}, matrix: Record<string, string> = {}, ci: Ci = NO_CI): Job {
  const summary = join(cwd, `.summary-${++written}`);
  writeFileSync(summary, '');
  return { cwd, env, ci, steps: {}, inputs: {}, matrix, summary, failed: false, ran: 0, log: [] };
}

/** The ${{ … }} expressions the recipes use; anything else fails the test, so the docs stay executable. */
function expand(text: string, job: Job): string {
  return String(text).replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, e: string) => {
    let m: RegExpExecArray | null;
    if ((m = /^inputs\.([\w-]+)$/.exec(e))) return job.inputs[m[1]!] ?? '';
    if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e))) return job.steps[m[1]!]?.[m[2]!] ?? '';
    if ((m = /^matrix\.([\w-]+)$/.exec(e))) return job.matrix[m[1]!] ?? '';
    if ((m = /^(vars|secrets)\.(\w+)$/.exec(e))) return job.ci[m[1] as keyof Ci][m[2]!] ?? '';
    if (e === 'github.action_path') return root;
    throw new Error(`unsupported expression \${{ ${e} }}`);
  });
}

/**
 * A directory with an `npx` that does what npx does for a package the repository installed: run its
 * node_modules/.bin entry with the arguments. The recipes call `npx openport-conform …`; npm's own npx costs
 * about 0.7 CPU-s per call before it reaches that entry, and what it does there (resolve a local bin) is npm's
 * behaviour, not the tool's. Anything else goes to the real npx.
 */
let npxDir: string | undefined;
function npxShim(): string {
  if (npxDir) return npxDir;
  npxDir = mkdtempSync(join(tmpdir(), 'opc-npx-'));
  // Not in `cleanups`: each test file removes its cleanups after its tests, and a worker keeps this module.
  process.once('exit', () => rmSync(npxDir!, { recursive: true, force: true }));
  const real = spawnSync('bash', ['-c', 'command -v npx'], { encoding: 'utf8' }).stdout.trim() || 'npx';
  writeFileSync(
    join(npxDir, 'npx'),
    `#!/usr/bin/env bash\nbin="$PWD/node_modules/.bin/$1"\nif [ -x "$bin" ]; then shift; exec "$bin" "$@"; fi\nexec ${JSON.stringify(real)} "$@"\n`,
    { mode: 0o755 },
  );
  return npxDir;
}

function runScript(script: string, job: Job, id: string | undefined, stepEnv: Record<string, string> = {}): number {
  const output = join(job.cwd, `.output-${++written}`);
  writeFileSync(output, '');
  const env = Object.fromEntries(Object.entries({ ...job.env, ...stepEnv }).map(([k, v]) => [k, expand(v, job)]));
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', expand(script, job)], {
    cwd: job.cwd,
    env: { ...process.env, ...env, PATH: `${npxShim()}:${process.env.PATH}`, NO_COLOR: '1', GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: job.summary, GITHUB_ACTION_PATH: root },
    encoding: 'utf8',
    timeout: 120_000,
  });
  job.ran++;
  job.log.push(`$ ${script.split('\n')[0]}\n${r.stdout}${r.stderr}`);
  const outputs: Record<string, string> = {};
  for (const line of readFileSync(output, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) outputs[line.slice(0, i)] = line.slice(i + 1);
  }
  if (id) job.steps[id] = outputs;
  return r.status ?? 1;
}

function runSteps(steps: any[], job: Job): void {
  for (const step of steps) {
    const always = typeof step.if === 'string' && step.if.includes('always()');
    if (job.failed && !always) continue;
    if (step.uses) {
      // The gate action itself runs here (by path from its submodule, as docs/ci.md uses it, or owner/name@ref);
      // other actions (checkout, setup-node, artifacts, SARIF upload) cannot.
      if (/^\.\/(?:[\w.-]+\/)*openport-conform\/?$|\/openport-conform@/.test(String(step.uses).trim())) runAction(job, step.id, Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(String(v), job)])));
      continue;
    }
    if (/^npm (ci|install)\b/.test(String(step.run).trim())) continue;
    if (runScript(step.run, job, step.id, step.env) !== 0) job.failed = true;
  }
}

/** Run action.yml's steps with these inputs; its outputs become the calling step's outputs. */
export function runAction(caller: Job, id: string | undefined, withInputs: Record<string, string>): Job {
  const job = newJob(caller.cwd, {}, {}, caller.ci);
  job.summary = caller.summary;
  for (const [name, spec] of Object.entries<any>(action.inputs)) job.inputs[name] = withInputs[name] ?? String(spec.default ?? '');
  runSteps(action.runs.steps, job);
  const outputs = Object.fromEntries(Object.entries<any>(action.outputs).map(([k, v]) => [k, expand(v.value, job)]));
  if (id) caller.steps[id] = outputs;
  caller.ran += job.ran;
  caller.log.push(...job.log);
  if (job.failed) caller.failed = true;
  return Object.assign(job, { steps: { ...job.steps, self: outputs } });
}


/** A `serve` of its own (its rate limits and apps unshared), as the CI variables and secrets the recipes read. */
export interface Server { ci: Ci; url: string; adminHeaders: Record<string, string>; stop(): void }

/**
 * `serve` as a child process, not in-process: the recipe steps run with spawnSync, which blocks this
 * worker's event loop, and an in-process server would not answer them.
 */
export async function serveProcess(args: readonly string[] = []): Promise<Server> {
  const child = spawn(process.execPath, [join(root, 'bin', 'openport-conform.js'), 'serve', '--json', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = () => void child.kill('SIGTERM');
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const line = await new Promise<string>((resolveLine, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolveLine(out.slice(0, out.indexOf('\n')));
    });
    child.on('exit', (code) => reject(new Error(`serve ended (exit ${code}) before listening: ${err}`)));
  });
  const s = JSON.parse(line) as { url: string; adminHeaders: Record<string, string>; agentToken: string };
  const [name, value] = Object.entries(s.adminHeaders)[0]!;
  return {
    url: s.url,
    adminHeaders: s.adminHeaders,
    stop,
    ci: {
      vars: { OPENPORT_URL: s.url },
      // OPENPORT_TOKEN and OPENPORT_ADMIN_AUTH are what the documented gate configuration's credentials name.
      secrets: { OPENPORT_ADMIN_HEADER: `${name}: ${value}`, OPENPORT_TOKEN: s.agentToken, OPENPORT_ADMIN_AUTH: value },
    },
  };
}

/** The apps the tool created on the server (the bootstrap app is serve's) that are still active. */
export async function activeApps(server: Server): Promise<string[]> {
  const res = await fetch(`${server.url}/api/agent-admin/v1/apps`, { headers: server.adminHeaders });
  const { items } = ((await res.json()) as { data: { items: { name: string; status: string }[] } }).data;
  return items.filter((a) => a.status !== 'revoked' && a.name.startsWith('openport-conform ')).map((a) => a.name);
}

const doc = readFileSync(join(root, 'docs', 'ci.md'), 'utf8');
export const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!));
export const workflows = blocks.filter((b) => b?.jobs);
export const gitlab = blocks.filter((b) => b && !b.jobs && Object.values(b).some((j: any) => Array.isArray(j?.script)));
export const config = blocks.find((b) => b?.scan && b?.credentials);
// The command line documented right after the configuration.
export const configCommand = /openport-gate\.yaml[\s\S]*?```sh\n([^\n]+)\n```/.exec(doc.slice(doc.indexOf('# openport-gate.yaml')))?.[1];

/** A recipe as CI runs it: whether any job failed, the job summaries, what every step printed. */
export interface Outcome { failed: boolean; summaries: string; log: string }

/** Every job of a GitHub workflow, matrix entries expanded, in the order of `needs` (a job with if: always() runs after a failed one). */
export function runWorkflow(wf: any, cwd: string, ci: Ci): Outcome {
  const out: Outcome = { failed: false, summaries: '', log: '' };
  for (const [name, spec] of Object.entries<any>(wf.jobs)) {
    if (out.failed && !String(spec.if ?? '').includes('always()')) continue;
    const matrices: Record<string, string>[] = spec.strategy?.matrix?.shard ? spec.strategy.matrix.shard.map((s: number) => ({ shard: String(s) })) : [{}];
    for (const matrix of matrices) {
      const job = newJob(cwd, { ...(wf.env ?? {}), ...(spec.env ?? {}) }, matrix, ci);
      runSteps(spec.steps, job);
      expect(job.ran, name).toBeGreaterThan(0);
      out.failed ||= job.failed;
      out.summaries += readFileSync(job.summary, 'utf8');
      out.log += `## ${name} ${JSON.stringify(matrix)}\n${job.log.join('\n')}\n`;
    }
  }
  return out;
}

/** The GitLab job: its variables, overridden by the project's CI/CD variables; the script stops at its first failing line. */
export function runGitlab(cwd: string, ci: Ci): Outcome {
  const [, spec] = Object.entries<any>(gitlab[0]).find(([, j]) => Array.isArray(j?.script))!;
  const job = newJob(cwd, { ...(spec.variables ?? {}), ...ci.vars, ...ci.secrets }, {}, ci);
  for (const line of spec.script) {
    if (/^npm (ci|install)\b/.test(line)) continue;
    if (runScript(line, job, undefined) !== 0) {
      job.failed = true;
      break;
    }
  }
  return { failed: job.failed, summaries: '', log: job.log.join('\n') };
}

/** The documented configuration as the repository's openport-gate.yaml, and the documented command line. */
function runConfig(cwd: string, ci: Ci): Outcome {
  writeFileSync(join(cwd, 'openport-gate.yaml'), JSON.stringify(config));
  const job = newJob(cwd, { ...ci.vars, AGENT_TOKEN: ci.secrets.OPENPORT_TOKEN ?? '', ADMIN_AUTH: ci.secrets.OPENPORT_ADMIN_AUTH ?? '' }, {}, ci);
  const failed = runScript(configCommand!, job, undefined) !== 0;
  return { failed, summaries: readFileSync(join(cwd, 'openport-report', 'gate.md'), 'utf8'), log: job.log.join('\n') };
}

export const RECIPES: [string, (cwd: string, ci: Ci) => Outcome][] = [
  ['the gate configuration and its command line', runConfig],
  ['GitHub: the composite action', (cwd, ci) => runWorkflow(workflows[0], cwd, ci)],
  ['GitHub: the CLI directly', (cwd, ci) => runWorkflow(workflows[1], cwd, ci)],
  ['GitHub: a sharded matrix', (cwd, ci) => runWorkflow(workflows[2], cwd, ci)],
  ['GitLab CI', runGitlab],
];
export const SHARDED = RECIPES[3]![0];
export const GITLAB = RECIPES[4]![0];

/** The reports every recipe leaves: the gate's own, or the merged report of the sharded one. */
export function reports(cwd: string, recipe: string) {
  const dir = join(cwd, 'openport-report');
  return {
    report: JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')),
    gate: recipe === SHARDED ? undefined : JSON.parse(readFileSync(join(dir, 'gate.json'), 'utf8')),
    junit: existsSync(join(dir, 'junit.xml')) ? readFileSync(join(dir, 'junit.xml'), 'utf8') : '',
  };
}

