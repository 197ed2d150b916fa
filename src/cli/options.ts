/**
 * Commander options derived from the option tables (src/runner/options.ts, src/report/options.ts), and the
 * flag parsers of the other commands. Every parser refuses a bad value with a message that names the flag
 * and the fix (commander exits 2).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseReporters as parseReporterList, REPORT_OPTIONS, type ReportOptionValues } from '../report/options.js';
import {
  collect as collectValue,
  defaultShown,
  flagOf,
  integer as integerValue,
  layered,
  optionsOf,
  parseAdminHeader as parseHeader,
  RUN_OPTIONS,
  type CommandName,
  type OptionDef,
  type RunOptionValues,
} from '../runner/options.js';

/** Every option a command that runs checks may take, in the order --help lists them. */
export const CLI_OPTIONS = { ...RUN_OPTIONS, ...REPORT_OPTIONS };
/** The values of those options, as commander hands them over (absent when not given). */
export type CliValues = RunOptionValues & ReportOptionValues;

/** A table parser as commander wants it: its Error becomes a usage error naming the flag. */
function cliParser<T>(parse: (value: string, previous?: T) => T): (value: string, previous?: T) => T {
  return (value, previous) => {
    try {
      return parse(value, previous);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

export const collect = cliParser(collectValue);
export const parseAdminHeader = cliParser(parseHeader);
export const parseReporters = cliParser(parseReporterList);
export const integer = (value: string, min: number, max: number, what: string): number => cliParser((v: string) => integerValue(v, min, max, what))(value);
export const parseSeed = cliParser(RUN_OPTIONS.seed.parse!);
export const parseParallel = (v: string) => integer(v, 1, 16, 'a number of runs in flight');
export const parseThreads = (v: string) => integer(v, 0, 16, 'a number of threads');

/** The commander option of one table entry as `command` takes it. */
export function cliOption(key: string, def: OptionDef<any>, command: CommandName): Option {
  const per = def.per?.[command] ?? {};
  const help = per.help ?? def.help;
  // Commander prints a default it fills in itself.
  const text = def.fill ? undefined : defaultShown(def, command);
  const arg = per.arg ?? def.arg;
  const option = new Option(`${flagOf(key)}${arg ? ` ${arg}` : ''}`, text ? `${help} (default: ${text})` : help);
  if (def.choices && !def.list) option.choices(def.choices);
  const parse = per.parse ?? def.parse;
  if (parse) option.argParser(cliParser(parse));
  // A command's own default replaces the table's (openapi's absent --out means standard output).
  if (def.fill) option.default('default' in per ? per.default : def.default);
  return option;
}

/** Adds every table option `command` takes, in table order. */
export function tableOptions(cmd: Command, command: CommandName): Command {
  for (const [key, def] of optionsOf(CLI_OPTIONS, command)) cmd.addOption(cliOption(key, def, command));
  return cmd;
}

/**
 * The defaults a command fills in below flags (and the gate config): its own (gate's fixed seed, fuzz's
 * FUZZ-*), and those of options it consumes itself (reporters, --out). A run option's general default is the
 * runner's to apply, so it is not filled in here.
 */
export function commandDefaults(command: CommandName): CliValues {
  const out: Record<string, unknown> = {};
  for (const [key, def] of optionsOf(CLI_OPTIONS, command)) {
    const value = def.per?.[command]?.default ?? (def.run ? undefined : def.default);
    if (value !== undefined) out[key] = value;
  }
  return out as CliValues;
}

/** The defaults a command applies against a url with admin credentials (the gate's safety), below flags and config. */
export function adminDefaults(command: CommandName): CliValues {
  const out: Record<string, unknown> = {};
  for (const [key, def] of optionsOf(CLI_OPTIONS, command)) {
    const value = def.per?.[command]?.adminDefault;
    if (value !== undefined) out[key] = value;
  }
  return out as CliValues;
}

/** Only the values given on the command line, not the ones commander filled in. */
export function givenOnCli(cmd: Command, flags: object): CliValues {
  return Object.fromEntries(Object.entries(flags).filter(([k]) => cmd.getOptionValueSource(k) === 'cli')) as CliValues;
}

/** Flags over the command's defaults. */
export function withDefaults<V extends CliValues>(flags: V, command: CommandName): V {
  return layered<Record<string, unknown>>(flags, commandDefaults(command)) as V;
}

/** The target must be an http(s) URL; anything else is a usage error before any traffic. */
export function parseTargetUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL; expected http(s)://host[:port][/base], e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`"${value}" must use http:// or https://`);
  }
  return value;
}
