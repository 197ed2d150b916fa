/** The one exit-code table of the tool; --help prints it, main.ts applies it. */
export const EXIT = { conformant: 0, notConformant: 1, usage: 2, couldNotEvaluate: 3, signerNotChecked: 4 } as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  conformant (or, for an --only/--exclude selection or one --shard, selection passed)
  1  not conformant (or a SHOULD failed under --strict)
  2  usage or configuration error (bad flag, unknown profile/id, invalid target file)
  3  could not evaluate (target unreachable, a MUST check of the verdict did not run, zero checks ran)
Tool errors carry a stable code (OPC_E_…; report.json toolErrorCode and errorCode), listed in the README.`;

/** `verify` reads 0 and 1 as verified and not; 4 is its own, so a script that checks only the exit code cannot take an unchecked signer for a checked one. */
export const VERIFY_EXIT_CODES_HELP = `
Exit codes:
  0  verified: consistent, and signed with the --key given (or --allow-unsigned); with --replay, the same outcomes
  1  a broken property (named with its file), or a replay whose outcomes differ
  2  usage error
  3  could not replay (target unreachable)
  4  consistent, signer not checked: no --key was given (pass --allow-unsigned to accept that with 0)`;

/** `init` writes a description, not a verdict: 2 also when the file it wrote still has keys to fill in. */
export const INIT_EXIT_CODES_HELP = `
Exit codes:
  0  the description was written and needs nothing more (its guesses are marked "# guessed:")
  2  usage error, or the description was written with keys to fill in (listed) before run accepts it
  3  the server could not be read (unreachable, not OpenPort, credentials refused)`;
