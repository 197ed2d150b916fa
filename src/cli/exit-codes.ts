/** The one exit-code table of the tool; --help prints it, main.ts applies it. */
export const EXIT = { conformant: 0, notConformant: 1, usage: 2, couldNotEvaluate: 3 } as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  conformant (or, for an --only/--exclude selection or one --shard, selection passed)
  1  not conformant (or a SHOULD failed under --strict)
  2  usage or configuration error (bad flag, unknown profile/id, invalid target file)
  3  could not evaluate (target unreachable, a MUST check did not run, zero checks ran)
Tool errors carry a stable code (OPC_E_…; report.json toolErrorCode and errorCode), listed in the README.`;
