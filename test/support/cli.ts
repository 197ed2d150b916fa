/**
 * The CLI in-process: main(argv, io) with captured streams, its own environment and its own signals, so
 * tests neither spawn a process nor share process.stdout, process.env or process.exitCode. Only the tests
 * whose subject is the process boundary (test/cli/process.test.ts) run the real binary.
 */
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { main } from '../../src/cli/main.js';
import { buildProgram } from '../../src/cli/program.js';
import type { Interrupts } from '../../src/cli/io.js';
import type { CheckDef } from '../../src/kit/check.js';

/** A stream that keeps what is written to it; `isTTY` makes it look like a terminal. */
export class Capture extends Writable {
  text = '';
  readonly isTTY: boolean;
  readonly columns = 100;

  constructor(opts: { isTTY?: boolean } = {}) {
    super({ decodeStrings: false });
    this.isTTY = opts.isTTY === true;
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += String(chunk);
    this.emit('data-written');
    done();
  }

  /** The text, once it satisfies `test` (no polling, no clock: the test's own timeout bounds the wait). */
  until(test: (text: string) => boolean): Promise<string> {
    return new Promise((resolve) => {
      const check = () => {
        if (!test(this.text)) return;
        this.off('data-written', check);
        resolve(this.text);
      };
      this.on('data-written', check);
      check();
    });
  }
}

/** Signals a test delivers to an in-process command, as Ctrl-C or kill would to the process. */
export class TestSignals implements Interrupts {
  private readonly emitter = new EventEmitter();
  /** The code of an exitNow (a second Ctrl-C), if one happened. */
  exitedWith: number | undefined;

  on(signals: readonly NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void): () => void {
    for (const s of signals) this.emitter.on(s, handler);
    return () => {
      for (const s of signals) this.emitter.off(s, handler);
    };
  }

  exitNow(code: number): void {
    this.exitedWith = code;
  }

  /** The clock the command reads when a signal comes: it moves only by `advance`. */
  private clock = 0;
  now(): number {
    return this.clock;
  }
  advance(ms: number): void {
    this.clock += ms;
  }

  send(signal: NodeJS.Signals): void {
    this.emitter.emit(signal, signal);
  }
}

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The command's whole environment (never the test process's): NO_COLOR=1 plus these. */
  env?: Record<string, string>;
  /** Make stdout and stderr look like terminals. */
  tty?: boolean;
  signals?: TestSignals;
  /** The check list the command plans from, instead of the shipped one. */
  checks?: readonly CheckDef[];
}

/** Start a command; `done` settles with its exit code and everything it wrote. */
export function startCli(args: readonly string[], opts: CliOptions = {}): { stdout: Capture; stderr: Capture; done: Promise<CliOutcome> } {
  const stdout = new Capture({ isTTY: opts.tty });
  const stderr = new Capture({ isTTY: opts.tty });
  const io = { stdout, stderr, env: { NO_COLOR: '1', ...opts.env }, ...(opts.signals ? { interrupts: opts.signals } : {}), ...(opts.checks ? { checks: opts.checks } : {}) };
  const done = main(args, io).then(({ code }) => ({ code, stdout: stdout.text, stderr: stderr.text }));
  return { stdout, stderr, done };
}

/** The commander tree of every command (its options and help), on captured streams; nothing is run. */
export function program(): Command {
  return buildProgram({ stdout: new Capture(), stderr: new Capture(), env: {}, setExit: () => undefined });
}

/** Run a command to its end. */
export function cli(args: readonly string[], opts: CliOptions = {}): Promise<CliOutcome> {
  return startCli(args, opts).done;
}

/** The JSON line `serve --json` prints. */
export interface Served {
  url: string;
  mcpUrl?: string;
  adminHeaders: Record<string, string>;
  agentToken: string;
  appId: string;
  faults: string[];
  variants?: string[];
  domain?: string;
  orgId?: string;
  /** SIGTERM to the command, then its end. */
  stop(): Promise<CliOutcome>;
}

/** `serve --json …` in-process, on a free port unless `args` names one; resolves once it listens. */
export async function startServe(args: readonly string[] = []): Promise<Served> {
  const signals = new TestSignals();
  const s = startCli(['serve', '--json', '--port', '0', ...args], { signals });
  // A serve that refuses its flags ends instead of listening.
  const first = await Promise.race([s.stdout.until((t) => t.includes('\n')), s.done]);
  if (typeof first !== 'string') throw new Error(`serve ended (exit ${first.code}) before listening: ${first.stderr}`);
  const line = first.slice(0, first.indexOf('\n'));
  const stop = () => {
    signals.send('SIGTERM');
    return s.done;
  };
  return { ...(JSON.parse(line) as Omit<Served, 'stop'>), stop };
}
