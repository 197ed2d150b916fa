/**
 * `openport-conform fuzz [url]`: only the FUZZ checks, with the fuzz budget and replay flags. A finding
 * prints its seed and path; `--seed N --path P --only FUZZ-00x` replays exactly that counterexample, and
 * `--save-corpus [dir]` turns the shrunk counterexamples of the run into regression cases in DIR (default
 * fuzz/corpus/ under the current directory), which `--corpus DIR` replays (FUZZ-008).
 */
import { relative, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { ToolError } from '../kit/check.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import { parseTargetUrl, tableOptions, withDefaults } from './options.js';
import type { CommandIo } from './io.js';
import { runWithReporters, throwIfJournalFailed, type RunFlags } from './run.js';

interface FuzzFlags extends RunFlags {
  saveCorpus?: boolean | string;
}

/** Where --save-corpus writes without a directory: under the current directory, never into the installed package. */
const SAVED_CORPUS = 'fuzz/corpus';

/** A url after --save-corpus is the server, not the directory (the option's value is optional). */
function savedCorpusDir(value: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new InvalidArgumentError(`"${value}" is a url, not a directory: put the url before --save-corpus, or give the directory as --save-corpus=DIR`);
  return value;
}

export function registerFuzz(program: Command, io: CommandIo): void {
  tableOptions(program
    .command('fuzz')
    .summary('run only the FUZZ checks, with replayable seeds and a regression corpus')
    .description('run the generated-input checks (FUZZ-001 … FUZZ-008) against a server, or the embedded reference runtime when no url is given')
    .argument('[url]', 'base URL of the server; omit to fuzz the embedded reference runtime', parseTargetUrl), 'fuzz')
    .option('--save-corpus [dir]', `write the shrunk counterexamples of failing checks into DIR (default: ${SAVED_CORPUS} under the current directory); --corpus DIR replays them`, savedCorpusDir)
    .addHelpText(
      'after',
      `
Examples:
  $ openport-conform fuzz --fuzz-runs 2000
  $ openport-conform fuzz http://127.0.0.1:8080 --admin-header 'x-admin-user: admin_demo' --safety load   # the authors' runtime
  $ openport-conform fuzz "$OPENPORT_URL" --admin-header "authorization: $OPENPORT_ADMIN_AUTHORIZATION" --safety load   # serve --secrets-file's variables
  $ openport-conform fuzz "$OPENPORT_URL" --binding mcp --admin-header "authorization: $OPENPORT_ADMIN_AUTHORIZATION" --safety load   # over serve --mcp
  $ openport-conform fuzz --fault env-stack-leak --only FUZZ-003 --seed 7 --path 2:0:0:0:0 --save-corpus
${EXIT_CODES_HELP}`,
    )
    .action(async (url: string | undefined, given: FuzzFlags) => {
      const flags = withDefaults(given, 'fuzz');
      if (flags.path !== undefined && (given.only?.length !== 1 || given.only[0]!.includes('*') || flags.seed === undefined)) {
        throw new ToolError('--path replays one counterexample of one check: give exactly one --only FUZZ-00x and the --seed it was found with', 2);
      }
      const { captureCounterexamples, saveCorpusEntry } = await import('../kit/fuzz-driver/corpus.js');
      const { result: report, entries } = await captureCounterexamples(() =>
        runWithReporters(io, url, flags),
      );
      const stream = io.stdout;
      if (flags.saveCorpus) {
        const dir = resolve(typeof flags.saveCorpus === 'string' ? flags.saveCorpus : SAVED_CORPUS);
        for (const entry of entries) stream.write(`saved counterexample ${relative(process.cwd(), saveCorpusEntry(entry, dir)) || dir}\n`);
        if (entries.length === 0) stream.write('no counterexample to save: no single-request fuzz property failed\n');
      }
      throwIfJournalFailed(report, 'fuzz run');
      io.setExit(report.exitCode);
    });
}
