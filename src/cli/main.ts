/**
 * The command-line entry point, and the single place where outcomes and errors become exit codes
 * (table in exit-codes.ts): commander usage errors → 2, ToolError → its own code, anything else → 3.
 */
import { displayLine } from '../report/text.js';
import { CommanderError, type Command } from 'commander';
import { ToolError } from '../kit/check.js';
import { EXIT } from './exit-codes.js';
import type { CliIo, CliStream, CommandIo } from './io.js';
import { redactSecrets } from '../protocol/redact.js';
import { rootProgram } from './root.js';

export { processIo, type CliIo } from './io.js';

/** A fatal error's message may quote the target (a code, a status line): one line, no control characters. */
const oneLine = displayLine;

/**
 * Each sub-command's module, imported only when that sub-command is invoked: a run never loads what certify,
 * mutate or serve need, and `run --help` none of them. Anything else (no sub-command, `help`, a typo) builds
 * the whole program (./program.js), whose help lists every command.
 */
const COMMANDS: Record<string, () => Promise<(program: Command, io: CommandIo) => void>> = {
  run: async () => (await import('./run.js')).registerRun,
  profiles: async () => (await import('./profiles.js')).registerProfiles,
  explain: async () => (await import('./explain.js')).registerExplain,
  serve: async () => (await import('./serve.js')).registerServe,
  init: async () => (await import('./init.js')).registerInit,
  openapi: async () => (await import('./openapi.js')).registerOpenApi,
  fuzz: async () => (await import('./fuzz.js')).registerFuzz,
  mutate: async () => (await import('./mutate.js')).registerMutate,
  gate: async () => (await import('./gate.js')).registerGate,
  certify: async () => (await import('./certify.js')).registerCertify,
  keygen: async () => (await import('./certify.js')).registerKeygen,
  verify: async () => (await import('./certify.js')).registerVerify,
};

/** The program `argv` needs: the root with only the invoked sub-command, or every command. */
async function programFor(argv: readonly string[], io: CommandIo): Promise<Command> {
  const name = argv[0];
  // The version needs nothing but the root (commander answers it before any sub-command would run).
  if (name === '--version' || name === '-V') return rootProgram(io);
  const register = name !== undefined && Object.hasOwn(COMMANDS, name) ? await COMMANDS[name]!() : undefined;
  if (register === undefined) return (await import('./program.js')).buildProgram(io);
  const program = rootProgram(io);
  register(program, io);
  return program;
}

/**
 * Run the command line `argv` (the arguments only, without node and the script) writing through `io`, and
 * return its exit code. It never touches process.exitCode, process.exit or the process's signals unless
 * `io` hands them over (processIo): bin/openport-conform.js does, tests hand their own io. `settled` is
 * false for a command that keeps running until interrupted (serve).
 */
/**
 * The values given to the credential options on the command line (`--token X`, `--admin-header=X`): never echoed
 * whole. Of an admin header `Name: value` the value is the secret (the name is no secret, and redacting it would
 * garble every other mention of it, the usage example among them). One without a colon is taken whole, and so is
 * one with an empty value whose name is not spelt as header names are (letters and dashes): `sk_live_abc123:`
 * is a secret with a stray colon, `x-admin-user:` a header whose shell variable was not set.
 */
function credentialArguments(argv: readonly string[]): string[] {
  const values: string[] = [];
  argv.forEach((a, i) => {
    const m = /^--(token|admin-header)(?:=(.*))?$/s.exec(a);
    if (!m) return;
    const given = m[2] ?? argv[i + 1] ?? '';
    const colon = given.indexOf(':');
    if (m[1] !== 'admin-header' || colon <= 0) return void values.push(given);
    const name = given.slice(0, colon).trim();
    const value = given.slice(colon + 1).trim();
    if (value !== '' || /^[A-Za-z-]+$/.test(name)) values.push(value);
    else values.push(given, name);
  });
  return values.filter((v) => v.length > 0);
}

export async function main(argv: readonly string[], io: CliIo): Promise<{ code: number; settled: boolean }> {
  let code: number = EXIT.conformant;
  let settled = false;
  const env = io.env ?? process.env;
  // A usage error quotes the argument it refuses (commander's "argument '…' is invalid"): a malformed
  // --admin-header is still a credential, so whatever reaches stderr shows it as a prefix and "…" at most.
  const given = credentialArguments(argv);
  const stderr: CliStream = given.length === 0 ? io.stderr : Object.create(io.stderr, { write: { value: (s: string) => io.stderr.write(redactSecrets(s, given)) } });
  const program = await programFor(argv, {
    stdout: io.stdout,
    stderr,
    env,
    ...(io.interrupts ? { interrupts: io.interrupts } : {}),
    ...(io.checks ? { checks: io.checks } : {}),
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
      stderr.write(`openport-conform: ${oneLine(err.message)}\n`);
      return { code: err.exitCode, settled: true };
    }
    const e = err instanceof Error ? err : new Error(String(err));
    const debug = env.OPENPORT_DEBUG === '1';
    stderr.write(`openport-conform: unexpected error: ${oneLine(e.message)}${debug ? '' : ' (set OPENPORT_DEBUG=1 for the stack)'}\n`);
    if (debug) stderr.write(`${e.stack ?? ''}\n`);
    return { code: EXIT.couldNotEvaluate, settled: true };
  }
}
