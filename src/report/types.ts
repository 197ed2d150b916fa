/** The reporter contract: optional hooks fed by the run's events. Reporters render results; they never decide them. */
import type { RunEvent, RunReport } from '../runner/result.js';

export type StartEvent = Extract<RunEvent, { type: 'start' }>;
export type ResultEvent = Extract<RunEvent, { type: 'result' }>;

/** Where console output goes; `isTTY` decides progress lines. */
export type OutStream = NodeJS.WritableStream & { isTTY?: boolean };

export interface ReporterOptions {
  stream: OutStream;
  /** Colour is decided once by the CLI (TTY and NO_COLOR unset). */
  color: boolean;
  /** Secrets known before the run (--token, admin headers): scrubbed from lines printed while it runs. */
  secrets?: readonly string[];
}

export interface EndContext {
  outDir: string;
  stream: OutStream;
  /** Secrets of the run (tokens, credential headers); every written byte is scrubbed of them. */
  secrets: readonly string[];
  /** Files written by the reporters that ended before this one (console reporters end last). */
  written: readonly string[];
  /** The directory the console names the report files in, when they are moved there after the run (certify's bundle); else outDir. */
  shownIn?: string;
}

export interface Reporter {
  name: string;
  /** The file a file reporter writes into the output directory. */
  file?: string;
  /** Console reporters print to the stream and end after the file reporters, so they can list the files. */
  console?: boolean;
  onStart?(e: StartEvent): void;
  onResult?(e: ResultEvent): void;
  /** Returns the files written. */
  onEnd?(report: RunReport, ctx: EndContext): Promise<string[]>;
}
