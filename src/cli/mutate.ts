/**
 * `openport-conform mutate`: the kill matrix and the clause coverage. The embedded runtime runs the profile
 * once clean and once per fault with the checks of the clauses the fault breaks; one of them must fail. Exit
 * 0 only when the clean run is conformant and every fault is killed, 1 otherwise (coverage is reported, not
 * judged).
 */
import { loadChecks } from './checks.js';
import { Command, Option } from 'commander';
import { BINDINGS, ToolError, type BindingName } from '../kit/check.js';
import { PROFILE_NAMES } from '../runner/profiles.js';
import { DOMAIN_NAMES, type DomainName } from '../runtime/domains.js';
import { EXIT } from './exit-codes.js';
import { availableParallelism } from 'node:os';
import { collect, parseParallel, parseSeed, parseThreads } from './options.js';
import type { MutantResult, MutationReport } from '../selftest/mutate.js';
import type { CommandIo } from './io.js';

interface MutateFlags {
  profile?: string;
  fault?: string[];
  json?: boolean;
  seed?: number;
  parallel?: number;
  threads?: number;
  domain?: DomainName;
  binding?: BindingName;
  blankChecks?: boolean;
}

/** Threads judging mutants by default: one per core, up to this many (each holds a copy of the suite). */
const MAX_THREADS = 4;

/** `items` comma-separated, wrapped under `indent`. */
function wrapped(items: readonly string[], indent = '  ', width = 110): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line ? `${line}, ${item}` : item;
    if (line && indent.length + next.length > width) {
      lines.push(`${indent}${line},`);
      line = item;
    } else line = next;
  }
  if (line) lines.push(`${indent}${line}`);
  return lines;
}

/** The bindings that judge a fault this binding cannot: the other ones. */
const judgingBindings = (binding: BindingName) => BINDINGS.filter((b) => b !== binding).map((b) => b.toUpperCase()).join('/');

function caughtBy(m: MutantResult, binding: BindingName): string {
  if (!m.applies) return `not applicable to ${binding} (judged on the ${judgingBindings(binding)} binding only)`;
  if (m.killed) return m.failed.join(', ');
  if (m.requirements.length === 0) return 'SURVIVED (no check of the profile judges its clauses)';
  return `SURVIVED (judged by ${m.requirements.join(', ')}${m.errored.length ? `; errors: ${m.errored.join(', ')}` : ''})`;
}

function matrixText(report: MutationReport): string {
  const w = Math.max(...report.mutants.map((m) => m.fault.length), 5);
  const caught = report.mutants.map((m) => caughtBy(m, report.binding));
  const wc = Math.min(Math.max(...caught.map((c) => c.length), 9), 40);
  const lines = [`profile ${report.profile} · seed ${report.seed} · domain ${report.domain}${report.binding !== 'http' ? ` · binding ${report.binding}` : ''}`, `clean run: ${report.clean.verdict}${report.clean.failed.length ? ` (failed: ${report.clean.failed.join(', ')})` : ''}`, ''];
  lines.push(`${'fault'.padEnd(w)}  ${'caught by'.padEnd(wc)}  breaks clauses`);
  report.mutants.forEach((m, i) => lines.push(`${m.fault.padEnd(w)}  ${caught[i]!.padEnd(wc)}  ${m.clauses.join(', ')}`));
  const na = report.score.notApplicable > 0 ? ` (${report.score.notApplicable} not applicable to ${report.binding})` : '';
  const { coverage: c } = report;
  const pct = c.total === 0 ? 0 : (100 * c.covered) / c.total;
  lines.push('', `mutation score: ${report.score.killed}/${report.score.total} killed${na} · ${report.ok ? 'OK' : 'NOT OK'}`);
  lines.push(`clause coverage: ${c.covered}/${c.total} (${pct.toFixed(1)} %)${report.binding !== 'http' ? ` of the clauses that apply to ${report.binding}` : ''}`);
  if (c.beyondReach.length) lines.push(`beyond a client's reach (${c.beyondReach.length}): ${c.beyondReach.join(', ')}`);
  const list = (title: string, ids: readonly string[]) => {
    if (ids.length) lines.push(`${title} (${ids.length}):`, ...wrapped(ids));
  };
  list('clauses whose faults all survived', c.survived);
  list('clauses a fault breaks but no check of the profile judges', c.noCheck);
  list('clauses no fault breaks', c.noFault);
  if (report.blank) {
    const { checks, blankable } = report.blank;
    const unaimed = checks.filter((k) => blankable.includes(k.id) && k.aimed.length === 0).map((k) => k.id);
    const redundant = checks.filter((k) => blankable.includes(k.id) && k.aimed.length > 0).map((k) => `${k.id} (${k.aimed.join(', ')})`);
    lines.push('', `checks no fault needs: ${blankable.length}/${checks.length} pass without looking and no fault survives`);
    list('no fault is aimed at them', unaimed);
    list('every fault aimed at them is caught by another check', redundant);
  }
  return lines.join('\n');
}

export function registerMutate(program: Command, io: CommandIo): void {
  program
    .command('mutate')
    .summary('prove the suite sensitive: every runtime fault must be caught by a check of the clauses it breaks')
    .description('run a profile against the embedded runtime once clean and once per injected fault (with only the checks of the clauses it breaks), and print the kill matrix (fault → failed requirement ids, or SURVIVED) and the clause coverage of the protocol brief')
    .addOption(new Option('--profile <name>', 'profile to run (default: state-witness)').choices(PROFILE_NAMES))
    .option('--fault <name>', 'only this fault (repeatable; see serve --list-faults)', collect)
    .addOption(new Option('--domain <name>', 'the domain the embedded runtime serves (default demo; another is described by fixtures/targets/<name>.yaml)').choices(DOMAIN_NAMES))
    .addOption(new Option('--binding <name>', 'the agent plane\'s binding of every run: http (default) or mcp (in-memory MCP; faults whose clauses are judged on HTTP only are listed, not counted)').choices(BINDINGS))
    .option('--seed <n>', 'seed of every run (default 1, so the matrix is reproducible)', parseSeed)
    .option('--parallel <n>', 'embedded runs in flight at once on each thread (default 8)', parseParallel)
    .option('--threads <n>', `worker threads judging the mutants while the main one runs the clean run (default: the machine's cores, at most ${MAX_THREADS}, none on one core); 0 runs everything on the main thread`, parseThreads)
    .option('--blank-checks', 'also blank each check in turn (it passes without looking) against the faults aimed at it, and list the checks whose blanking lets no fault survive')
    .option('--json', 'print the matrix as one JSON document instead of a table')
    .addHelpText('after', `
Examples:
  $ openport-conform mutate
  $ openport-conform mutate --domain helpdesk
  $ openport-conform mutate --binding mcp
  $ openport-conform mutate --blank-checks
  $ openport-conform mutate --profile core --fault authn-revocation-cache --json`)
    .action(async (flags: MutateFlags) => {
      const { mutate } = await import('../selftest/mutate.js');
      const { GATE_JUDGE } = await import('../gate/judge.js');
      const progress = !flags.json && io.stderr.isTTY;
      // On one core a thread of its own gains nothing over the main one.
      const cores = availableParallelism();
      const threads = flags.threads ?? (cores > 1 ? Math.min(cores, MAX_THREADS) : 0);
      const report = await mutate({
        checks: await loadChecks(io),
        // Worker threads load the shipped checks themselves: with a check list handed in (a test's), every run stays on this thread.
        ...(io.checks === undefined ? { threads: { count: threads, entry: new URL('./mutate-thread.js', import.meta.url) } } : {}),
        profile: flags.profile,
        faults: flags.fault,
        seed: flags.seed,
        parallel: flags.parallel,
        domain: flags.domain,
        ...(flags.binding ? { binding: flags.binding } : {}),
        blankChecks: flags.blankChecks === true,
        deployment: GATE_JUDGE,
        onMutant: progress ? (m, done, total) => io.stderr.write(`\r[${done}/${total}] ${m.fault}`.padEnd(60)) : undefined,
      });
      if (progress) io.stderr.write('\r'.padEnd(61) + '\r');
      io.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : `${matrixText(report)}\n`);
      // Faults chosen by name that this binding cannot judge: nothing was tested, which is no OK.
      if (report.score.total === 0 && report.score.notApplicable > 0) {
        throw new ToolError(`none of the ${report.score.notApplicable} fault(s) selected applies to the ${report.binding} binding: nothing was judged; --binding ${BINDINGS.find((b) => b !== report.binding)} judges them`, 2);
      }
      io.setExit(report.ok ? EXIT.conformant : EXIT.notConformant);
    });
}
