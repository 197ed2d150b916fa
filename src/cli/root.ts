import { Command } from 'commander';
import { TOOL_VERSION } from '../kit/paths.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import { useColor, type CommandIo } from './io.js';

/** The program without its sub-commands: name, help text, version, where it writes, how usage errors end. */
export function rootProgram(io: CommandIo): Command {
  const program = new Command('openport-conform')
    .description('Conformance toolchain for the OpenPort Protocol (HTTP binding agent/v1), with an embedded reference runtime')
    // Before the subcommands exist: they inherit where commander writes help and usage errors.
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      getOutHelpWidth: () => (io.stdout.isTTY ? io.stdout.columns ?? 80 : 80),
      getErrHelpWidth: () => (io.stderr.isTTY ? io.stderr.columns ?? 80 : 80),
      getOutHasColors: () => useColor(io.stdout, io.env),
      getErrHasColors: () => useColor(io.stderr, io.env),
    })
    .version(TOOL_VERSION)
    // Inherited by every subcommand registered below: usage errors throw instead of exiting, so the
    // exit code is decided here.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ openport-conform run                                  # full suite against the embedded reference runtime
  $ openport-conform run http://127.0.0.1:8080 --token op_…
  $ openport-conform explain AUTHN-004
${EXIT_CODES_HELP}
verify has a code of its own, 4 (consistent, signer not checked), and init its own reading: see their --help.`,
    );
  return program;
}
