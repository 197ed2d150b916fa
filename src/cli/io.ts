/**
 * What a command may touch of the process it runs in. The process layer (bin/openport-conform.js) hands
 * main() the real streams, environment and signals (processIo); a test hands its own, so the whole CLI runs
 * in-process without sharing any of them.
 */
import type { CheckDef } from '../kit/check.js';
import type { OutStream } from '../report/index.js';

/** A stream a command writes to; isTTY and columns decide progress lines, colour and help width. */
export type CliStream = OutStream & { columns?: number };

/** The process's interrupt signals, as the commands see them. */
export interface Interrupts {
  /** Call `handler` on each of these signals until the returned function is called. */
  on(signals: readonly NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void): () => void;
  /** Leave at once, without cleanup (a second Ctrl-C during a run). */
  exitNow(code: number): void;
  /** Milliseconds on a monotonic clock: when each signal came (a signal delivered twice comes twice at once). */
  now(): number;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  /** Secrets, colour and debug settings are read from here; process.env when left out. */
  env?: NodeJS.ProcessEnv;
  /** Without it nothing interrupts a command: a run goes to its end, and `serve` serves until the process ends. */
  interrupts?: Interrupts;
  /** The check list the commands plan from; the shipped one (suites/index.ts) when left out. */
  checks?: readonly CheckDef[];
}

/** What every command registered by main receives: the io, complete, and how it reports its exit code. */
export interface CommandIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly env: NodeJS.ProcessEnv;
  readonly interrupts?: Interrupts;
  readonly checks?: readonly CheckDef[];
  /** The command's outcome as an exit code (main maps it; nothing else touches process.exitCode). */
  setExit(code: number): void;
}

/**
 * The command a user typed to start this tool, as replay lines should print it so that they paste: under npx
 * (npm sets npm_command=exec) `npx openport-conform`, else the installed bin's name.
 */
export function invokedAs(env: NodeJS.ProcessEnv): string {
  return env.npm_command === 'exec' ? 'npx openport-conform' : 'openport-conform';
}

/** The real process: its streams, environment and signals. Only the process layer calls this. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    interrupts: {
      on(signals, handler) {
        for (const s of signals) process.on(s, handler);
        return () => {
          for (const s of signals) process.off(s, handler);
        };
      },
      exitNow: (code) => process.exit(code),
      now: () => performance.now(),
    },
  };
}

/**
 * Colour: never with a non-empty NO_COLOR (https://no-color.org); FORCE_COLOR=0 turns it off and any other
 * non-empty FORCE_COLOR turns it on even in a pipe; otherwise only on a terminal that is not TERM=dumb.
 */
export function useColor(stream: OutStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}
