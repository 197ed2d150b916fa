/**
 * `openport-conform fuzz [url]`: only the FUZZ checks, with the fuzz budget and replay flags. A finding
 * prints its seed and path; `--seed N --path P --only FUZZ-00x` replays exactly that counterexample, and
 * `--save-corpus` turns the shrunk counterexamples of the run into regression cases in fuzz/corpus/.
 */
import { relative } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ToolError } from '../kit/check.js';
import { PROFILE_NAMES } from '../runner/profiles.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import { parseFuzzRuns, parseFuzzTime, parseSeed, parseTargetUrl } from './options.js';
import { runWithReporters, targetOptions, type TargetFlags } from './run.js';
import type { CommandIo } from './io.js';

interface FuzzFlags extends TargetFlags {
  path?: string;
  only?: string[];
  saveCorpus?: boolean;
}

function fuzzId(value: string, previous: string[] = []): string[] {
  if (!/^FUZZ-(\d{3}|\*)$/i.test(value.trim())) throw new InvalidArgumentError(`"${value}" is not a FUZZ requirement id (FUZZ-001 … FUZZ-008, or FUZZ-*)`);
  return [...previous, value.trim().toUpperCase()];
}

function fastCheckPath(value: string): string {
  // A stateful counterexample adds its commands replayPath after "@" (e.g. 0:1:0@G:B).
  if (!/^\d+(:\d+)*(@[\w:+/=-]*)?$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a fuzz path (numbers joined by ':', e.g. 3:0:1, as printed by a finding)`);
  return value;
}

export function registerFuzz(program: Command, io: CommandIo): void {
  targetOptions(program
    .command('fuzz')
    .summary('run only the FUZZ checks, with replayable seeds and a regression corpus')
    .description('run the generated-input checks (FUZZ-001 … FUZZ-008) against a server, or the embedded reference runtime when no url is given')
    .argument('[url]', 'base URL of the server; omit to fuzz the embedded reference runtime', parseTargetUrl)
    .option('--seed <n>', 'seed of the generators (every finding prints the one it used)', parseSeed)
    .option('--path <path>', 'fast-check path of one counterexample to replay (needs one --only id and its --seed)', fastCheckPath)
    .option('--only <id>', 'run only this FUZZ id (repeatable)', fuzzId)
    .option('--fuzz-runs <n>', 'generated cases per property', parseFuzzRuns)
    .option('--fuzz-time <ms>', 'time budget per property in milliseconds', parseFuzzTime)
    .option('--save-corpus', 'write the shrunk counterexamples of failing checks into fuzz/corpus/')
    .addOption(new Option('--profile <name>', 'the layer whose FUZZ checks run').choices(PROFILE_NAMES).default('write-lifecycle')))
    .addHelpText(
      'after',
      `
Examples:
  $ openport-conform fuzz --fuzz-runs 2000
  $ openport-conform fuzz http://127.0.0.1:8080 --admin-header 'x-admin-user: admin_demo' --safety draft
  $ openport-conform fuzz --fault fuzz-crash-deep-nesting --only FUZZ-001 --seed 7 --path 3:0:1 --save-corpus
${EXIT_CODES_HELP}`,
    )
    .action(async (url: string | undefined, flags: FuzzFlags) => {
      if (flags.path !== undefined && (flags.only?.length !== 1 || flags.only[0]!.includes('*') || flags.seed === undefined)) {
        throw new ToolError('--path replays one counterexample of one check: give exactly one --only FUZZ-00x and the --seed it was found with', 2);
      }
      const { captureCounterexamples, saveCorpusEntry } = await import('../kit/fuzz-driver/corpus.js');
      const { result: report, entries } = await captureCounterexamples(() =>
        runWithReporters(io, url, flags, { only: flags.only ?? ['FUZZ-*'], fuzz: flags.path !== undefined ? { path: flags.path } : {} }),
      );
      const stream = io.stdout;
      if (flags.saveCorpus) {
        for (const entry of entries) stream.write(`saved counterexample ${relative(process.cwd(), saveCorpusEntry(entry))}\n`);
        if (entries.length === 0) stream.write('no counterexample to save: no single-request fuzz property failed\n');
      }
      io.setExit(report.exitCode);
    });
}
