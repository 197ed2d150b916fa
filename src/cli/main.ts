/**
 * The command-line entry point, and the single place where outcomes and errors become exit codes
 * (table in exit-codes.ts): commander usage errors → 2, ToolError → its own code, anything else → 3.
 */
import { Command, CommanderError } from 'commander';
import { ToolError } from '../kit/check.js';
import { TOOL_VERSION } from '../kit/paths.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { registerCertify, registerKeygen, registerVerify } from './certify.js';
import { registerExplain } from './explain.js';
import { registerFuzz } from './fuzz.js';
import { registerGate } from './gate.js';
import { registerMutate } from './mutate.js';
import { registerProfiles } from './profiles.js';
import { registerRun } from './run.js';
import { registerServe } from './serve.js';

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('openport-conform')
    .description('Conformance toolchain for the OpenPort Protocol (HTTP binding agent/v1), with an embedded reference runtime')
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
  registerRun(program, setExit);
  registerProfiles(program);
  registerExplain(program);
  registerServe(program);
  registerFuzz(program, setExit);
  registerMutate(program, setExit);
  registerGate(program, setExit);
  registerCertify(program, setExit);
  registerKeygen(program);
  registerVerify(program, setExit);
  return program;
}

export async function main(argv: readonly string[]): Promise<{ code: number; settled: boolean }> {
  let code: number = EXIT.conformant;
  let settled = false;
  const program = buildProgram((c) => {
    code = c;
    settled = true;
  });
  try {
    await program.parseAsync([...argv]);
    return { code, settled };
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed the message (or the help/version text).
      return { code: err.exitCode === 0 ? EXIT.conformant : EXIT.usage, settled: true };
    }
    if (err instanceof ToolError) {
      process.stderr.write(`openport-conform: ${oneLine(err.message)}\n`);
      return { code: err.exitCode, settled: true };
    }
    const e = err instanceof Error ? err : new Error(String(err));
    process.stderr.write(`openport-conform: unexpected error: ${oneLine(e.message)}${process.env.OPENPORT_DEBUG === '1' ? '' : ' (set OPENPORT_DEBUG=1 for the stack)'}\n`);
    if (process.env.OPENPORT_DEBUG === '1') process.stderr.write(`${e.stack ?? ''}\n`);
    return { code: EXIT.couldNotEvaluate, settled: true };
  }
}

// A reader that closes the pipe early (`openport-conform explain X | head`) is not a failure of the tool.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  throw e;
});

const { code, settled } = await main(process.argv);
process.exitCode = code;
if (settled) {
  // A finished run or a failure must not hang on a stray keep-alive socket or timer; a long-running
  // command (serve) never settles and keeps the process alive by itself.
  setTimeout(() => process.exit(code), 2000).unref();
}
