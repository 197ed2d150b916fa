/**
 * `openport-conform mutate`: the kill matrix. The embedded runtime runs the profile once clean and once per
 * fault; each fault must make the requirement it names fail. Exit 0 only when the clean run is conformant
 * and every fault is killed, 1 otherwise.
 */
import { loadChecks } from './checks.js';
import { Command, Option } from 'commander';
import { BINDINGS, type BindingName } from '../kit/check.js';
import { PROFILE_NAMES } from '../runner/profiles.js';
import { DOMAIN_NAMES, type DomainName } from '../runtime/domains.js';
import { EXIT } from './exit-codes.js';
import { collect, parseParallel, parseSeed } from './options.js';
import type { CommandIo } from './io.js';

interface MutateFlags {
  profile?: string;
  fault?: string[];
  json?: boolean;
  seed?: number;
  parallel?: number;
  domain?: DomainName;
  binding?: BindingName;
}

export function registerMutate(program: Command, io: CommandIo): void {
  program
    .command('mutate')
    .summary('prove the suite sensitive: every runtime fault must be caught by the requirement it names')
    .description('run a profile against the embedded runtime once clean and once per injected fault, and print the kill matrix (fault → failed requirement ids, or SURVIVED)')
    .addOption(new Option('--profile <name>', 'profile to run (default: state-witness)').choices(PROFILE_NAMES))
    .option('--fault <name>', 'only this fault (repeatable; see serve --list-faults)', collect)
    .addOption(new Option('--domain <name>', 'the domain the embedded runtime serves (default demo; another is described by fixtures/targets/<name>.yaml)').choices(DOMAIN_NAMES))
    .addOption(new Option('--binding <name>', 'the agent plane\'s binding of every run: http (default) or mcp (in-memory MCP; faults whose requirement is judged on HTTP only are listed, not counted)').choices(BINDINGS))
    .option('--seed <n>', 'seed of every run (default 1, so the matrix is reproducible)', parseSeed)
    .option('--parallel <n>', 'embedded runs in flight at once (default 8)', parseParallel)
    .option('--json', 'print the matrix as one JSON document instead of a table')
    .addHelpText('after', `
Examples:
  $ openport-conform mutate
  $ openport-conform mutate --domain helpdesk
  $ openport-conform mutate --binding mcp
  $ openport-conform mutate --profile core --fault authn-revocation-cache --json`)
    .action(async (flags: MutateFlags) => {
      const { mutate } = await import('../selftest/mutate.js');
      const progress = !flags.json && io.stderr.isTTY;
      const report = await mutate({
        checks: await loadChecks(),
        profile: flags.profile,
        faults: flags.fault,
        seed: flags.seed,
        parallel: flags.parallel,
        domain: flags.domain,
        ...(flags.binding ? { binding: flags.binding } : {}),
        onMutant: progress ? (m, done, total) => io.stderr.write(`\r[${done}/${total}] ${m.fault}`.padEnd(60)) : undefined,
      });
      if (progress) io.stderr.write('\r'.padEnd(61) + '\r');
      if (flags.json) {
        io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        const w = Math.max(...report.mutants.map((m) => m.fault.length), 5);
        const lines = [`profile ${report.profile} · seed ${report.seed} · domain ${report.domain}${report.binding !== 'http' ? ` · binding ${report.binding}` : ''}`, `clean run: ${report.clean.verdict}${report.clean.failed.length ? ` (failed: ${report.clean.failed.join(', ')})` : ''}`, ''];
        lines.push(`${'fault'.padEnd(w)}  ${'names'.padEnd(13)}  caught by`);
        for (const m of report.mutants) {
          const caught = !m.applies ? `not applicable to ${report.binding} (${m.breaks} judges the HTTP binding itself)` : m.killed ? m.failed.join(', ') : `SURVIVED${m.failed.length ? ` (other failures: ${m.failed.join(', ')})` : ''}`;
          lines.push(`${m.fault.padEnd(w)}  ${m.breaks.padEnd(13)}  ${caught}`);
        }
        const na = report.score.notApplicable > 0 ? ` (${report.score.notApplicable} not applicable to ${report.binding})` : '';
        lines.push('', `mutation score: ${report.score.killed}/${report.score.total} killed${na} · ${report.ok ? 'OK' : 'NOT OK'}`);
        io.stdout.write(`${lines.join('\n')}\n`);
      }
      io.setExit(report.ok ? EXIT.conformant : EXIT.notConformant);
    });
}
