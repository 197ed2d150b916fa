// action.yml and the recipes of docs/ci.md, executed (test/gate/ci-recipes.ts runs them as CI does): the
// action on a clean and a planted tree, the documented configuration and baseline, and every recipe against
// the embedded runtime. The recipes against a `serve` over loopback are in recipes-pass.test.ts and
// recipes-fail.test.ts, so that parallel workers share them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBaseline } from '../../src/gate/baseline.js';
import { loadGateConfig } from '../../src/gate/config.js';
import { plantTree } from './plant.js';
import { cli } from '../support/cli.js';
import { ACTION_ONLY, action, blocks, cleanups, config, configCommand, gitlab, newJob, NO_CI, removeScratch, root, runAction, runGitlab, runWorkflow, sandbox, workflows } from './ci-recipes.js';

afterAll(removeScratch);

const help = (await cli(['gate', '--help'])).stdout;

describe('action.yml', () => {
  it('every input maps to a real flag of `gate` and reaches the gate (credentials through its environment); every output comes from the gate step', () => {
    const gateStep = action.runs.steps.find((s: any) => s.id === 'gate');
    for (const name of Object.keys(action.inputs)) {
      if (ACTION_ONLY.includes(name)) continue;
      if (name === 'url') expect(help).toContain('gate [options] [url]');
      else expect(help, `--${name}`).toMatch(new RegExp(`--${name}\\b`));
      const envName = `INPUT_${name.toUpperCase().replace(/-/g, '_')}`;
      expect(gateStep.env[envName], envName).toBe(`\${{ inputs.${name} }}`);
      expect(gateStep.run, envName).toContain(name === 'url' || name === 'strict' ? `$${envName}` : name.toUpperCase().replace(/-/g, '_'));
    }
    for (const [name, spec] of Object.entries<any>(action.outputs)) expect(spec.value).toBe(`\${{ steps.gate.outputs.${name} }}`);
    // Credentials go through the gate's environment: a process listing shows its command line.
    expect(gateStep.run).not.toMatch(/--token|--admin-header/);
    expect(gateStep.run).toContain('export OPENPORT_CONFORM_TOKEN="$INPUT_TOKEN"');
    expect(gateStep.run).toContain('export OPENPORT_CONFORM_ADMIN_HEADERS="$INPUT_ADMIN_HEADER"');
  });

  it('installs with one build: npm ci runs the prepare script (the TypeScript build) and nothing builds again', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.prepare).toMatch(/\btsc\b/);
    const install = action.runs.steps.find((s: any) => /npm ci/.test(s.run ?? ''));
    expect(install.run).not.toMatch(/npm run build|\btsc\b|--ignore-scripts/);
  });

  it('passes a clean tree: outputs, job summary and SARIF written, the verdict step exits 0', () => {
    const cwd = sandbox();
    const caller = newJob(cwd);
    const job = runAction(caller, 'gate', { scan: 'dist', profile: 'core' });
    const out = job.steps.self!;
    expect(caller.failed, caller.log.join('\n')).toBe(false);
    expect(out).toMatchObject({ verdict: 'passed', 'exit-code': '0', fail: '0', 'tree-findings': '0', 'deployment-failures': '0', 'deployment-warnings': '1', 'report-dir': 'openport-report' });
    expect(Number(out.pass)).toBeGreaterThan(10);
    for (const k of ['sarif', 'junit', 'summary']) expect(existsSync(join(cwd, out[k]!)), k).toBe(true);
    expect(readFileSync(caller.summary, 'utf8')).toMatch(/^## ✅ OpenPort release gate: GATE PASSED/);
    expect(JSON.parse(readFileSync(join(cwd, out.sarif!), 'utf8')).version).toBe('2.1.0');
  }, 120_000);

  it("outputs count the release tree's baselined findings and stale entries, and ignore files an earlier run left", () => {
    const dir = mkdtempSync(join(tmpdir(), 'opc-gate-outputs-'));
    cleanups.push(dir);
    const outputsOf = (exit: string, started: number) => {
      const file = join(dir, `outputs-${exit}-${started}`);
      writeFileSync(file, '');
      execFileSync(process.execPath, [join(root, 'scripts', 'gate-outputs.mjs'), dir, exit, String(started)], { env: { ...process.env, GITHUB_OUTPUT: file, GITHUB_STEP_SUMMARY: '' } });
      return Object.fromEntries(readFileSync(file, 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    };
    const steps = [
      { name: 'release-tree', counts: { findings: 0, baselined: 4, staleEntries: 1 } },
      { name: 'deployment', counts: { failures: 0, warnings: 0 } },
      { name: 'profile', counts: { pass: 5, fail: 2, baselined: 2 } },
      { name: 'baseline', counts: { stale: 1 } },
    ];
    writeFileSync(join(dir, 'gate.json'), JSON.stringify({ verdict: 'failed', steps }));
    writeFileSync(join(dir, 'report.sarif'), '{}');
    const now = Date.now() - 5_000;
    expect(outputsOf('1', now)).toMatchObject({ verdict: 'failed', baselined: '6', stale: '2', 'tree-findings': '0', sarif: join(dir, 'report.sarif') });
    // The same files, older than the step that ran (a gate that stopped with a usage error wrote none).
    const earlier = new Date(now - 60_000);
    for (const f of ['gate.json', 'report.sarif']) utimesSync(join(dir, f), earlier, earlier);
    const stale = outputsOf('2', now);
    expect(stale).toMatchObject({ verdict: 'usage-error', 'exit-code': '2' });
    expect(stale.sarif).toBeUndefined();
  });

  it('fails a planted tree: verdict failed, findings counted, the last step exits 1', () => {
    const cwd = sandbox();
    const tree = plantTree(true);
    cleanups.push(tree);
    const caller = newJob(cwd);
    const job = runAction(caller, 'gate', { scan: `${tree}\n`, profile: 'core' });
    expect(job.steps.self).toMatchObject({ verdict: 'failed', 'exit-code': '1', 'tree-findings': '6' });
    expect(caller.failed).toBe(true);
    expect(readFileSync(caller.summary, 'utf8')).toMatch(/GATE FAILED[\s\S]*GATE-008/);
  }, 120_000);
});

describe('docs/ci.md recipes', () => {
  it('the documented gate configuration is valid', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'opc-cfg-')), 'openport-gate.yaml');
    cleanups.push(resolve(file, '..'));
    writeFileSync(file, JSON.stringify(config));
    expect(loadGateConfig(file)).toEqual(config);
    expect(configCommand).toMatch(/openport-conform gate/);
  });

  it('the documented baseline with tree: entries is valid', () => {
    const b = blocks.find((x) => x?.tree);
    const file = join(mkdtempSync(join(tmpdir(), 'opc-cfg-')), 'openport-baseline.yaml');
    cleanups.push(resolve(file, '..'));
    writeFileSync(file, JSON.stringify(b));
    expect(loadBaseline(file).tree).toEqual(b.tree);
  });

  it('every recipe checks out full history (the history scan needs it)', () => {
    for (const wf of workflows) {
      for (const job of Object.values<any>(wf.jobs)) {
        for (const step of job.steps.filter((x: any) => /^actions\/checkout@/.test(x.uses ?? ''))) expect(step.with?.['fetch-depth']).toBe(0);
      }
    }
    const [, spec] = Object.entries<any>(gitlab[0]).find(([, j]) => Array.isArray(j?.script))!;
    expect(spec.variables.GIT_DEPTH).toBe('0');
  });

  it('has the recipes: the action, the CLI, a sharded matrix, GitLab CI', () => {
    expect(workflows).toHaveLength(3);
    expect(gitlab).toHaveLength(1);
  });

  it.each([0, 1, 2])('GitHub workflow %i passes with OPENPORT_URL empty, against the embedded runtime', (i) => {
    const cwd = sandbox();
    const outcome = runWorkflow(workflows[i], cwd, NO_CI);
    expect(outcome.failed, outcome.log).toBe(false);
    expect(outcome.summaries).toMatch(/## ✅ OpenPort (release gate: GATE PASSED|conformance: CONFORMANT)/);
    if (i === 2) {
      const merged = JSON.parse(readFileSync(join(cwd, 'openport-report', 'report.json'), 'utf8'));
      expect(merged.verdict).toBe('conformant');
      expect(merged.shard).toBeUndefined();
      const shards = [1, 2, 3].map((k) => JSON.parse(readFileSync(join(cwd, 'shards', `shard-${k}`, 'report.json'), 'utf8')));
      expect(merged.summary.total).toBe(shards.reduce((n, s) => n + s.summary.total, 0));
    }
  }, 180_000);

  it('the GitLab job passes with OPENPORT_URL empty and leaves the JUnit report it declares', () => {
    const cwd = sandbox();
    const outcome = runGitlab(cwd, NO_CI);
    expect(outcome.failed, outcome.log).toBe(false);
    const [, spec] = Object.entries<any>(gitlab[0]).find(([, j]) => Array.isArray(j?.script))!;
    expect(readFileSync(join(cwd, spec.artifacts.reports.junit), 'utf8')).toMatch(/<testsuites[^>]* failures="0"/);
  }, 120_000);
});
