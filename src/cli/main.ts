/**
 * The command-line entry point, and the single place where outcomes and errors become exit codes
 * (table in exit-codes.ts): commander usage errors → 2, ToolError → its own code, anything else → 3.
 */
import { displayLine } from '../report/text.js';
import { Command, CommanderError } from 'commander';
import { ToolError } from '../kit/check.js';
import { TOOL_VERSION } from '../kit/paths.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { registerCertify, registerKeygen, registerVerify } from './certify.js';
import { registerExplain } from './explain.js';
import { registerFuzz } from './fuzz.js';
import { registerGate } from './gate.js';
import { registerInit } from './init.js';
import { registerOpenApi } from './openapi.js';
import { registerMutate } from './mutate.js';
import { registerProfiles } from './profiles.js';
import { registerRun, useColor } from './run.js';
import { registerServe } from './serve.js';
import type { CliIo, CommandIo } from './io.js';

export { processIo, type CliIo } from './io.js';

/** A fatal error's message may quote the target (a code, a status line): one line, no control characters. */
const oneLine = displayLine;

/** Every command, writing through `io` (tests read the commander tree of it: options, help). */
export function buildProgram(io: CommandIo): Command {
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
${EXIT_CODES_HELP}`,
    );
  registerRun(program, io);
  registerProfiles(program, io);
  registerExplain(program, io);
  registerServe(program, io);
  registerInit(program, io);
  registerOpenApi(program, io);
  registerFuzz(program, io);
  registerMutate(program, io);
  registerGate(program, io);
  registerCertify(program, io);
  registerKeygen(program, io);
  registerVerify(program, io);
  return program;
}

/**
 * Run the command line `argv` (the arguments only, without node and the script) writing through `io`, and
 * return its exit code. It never touches process.exitCode, process.exit or the process's signals unless
 * `io` hands them over (processIo): bin/openport-conform.js does, tests hand their own io. `settled` is
 * false for a command that keeps running until interrupted (serve).
 */
export async function main(argv: readonly string[], io: CliIo): Promise<{ code: number; settled: boolean }> {
  let code: number = EXIT.conformant;
  let settled = false;
  const env = io.env ?? process.env;
  const program = buildProgram({
    stdout: io.stdout,
    stderr: io.stderr,
    env,
    ...(io.interrupts ? { interrupts: io.interrupts } : {}),
    setExit: (c) => {
      code = c;
      settled = true;
    },
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return { code, settled };
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed the message (or the help/version text).
      return { code: err.exitCode === 0 ? EXIT.conformant : EXIT.usage, settled: true };
    }
    if (err instanceof ToolError) {
      io.stderr.write(`openport-conform: ${oneLine(err.message)}\n`);
      return { code: err.exitCode, settled: true };
    }
    const e = err instanceof Error ? err : new Error(String(err));
    const debug = env.OPENPORT_DEBUG === '1';
    io.stderr.write(`openport-conform: unexpected error: ${oneLine(e.message)}${debug ? '' : ' (set OPENPORT_DEBUG=1 for the stack)'}\n`);
    if (debug) io.stderr.write(`${e.stack ?? ''}\n`);
    return { code: EXIT.couldNotEvaluate, settled: true };
  }
}
