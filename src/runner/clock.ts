/**
 * The run's clock: what checks read with ctx.now() and wait with ctx.sleep().
 *
 * Against a URL it is the wall clock. Where the tool and the server share a process (the embedded runtime,
 * and tests that serve a runtime themselves) they can share a virtual clock instead, so that a rate window,
 * a Retry-After countdown or a key's expiry is met by the run's own waits and never by how fast the machine
 * happens to be: a loaded machine then gives the verdict an idle one gives.
 */
import { ToolError } from '../kit/check.js';

export interface Clock {
  now(): number;
  /** Resolves after `ms` on this clock; rejects with OPC_E_ABORTED when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal, label?: string): Promise<void>;
}

const aborted = (label: string) => new ToolError(`${label}: aborted`, 'OPC_E_ABORTED');

export const wallClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal, label = 'sleep') =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(aborted(label));
      const onAbort = () => {
        clearTimeout(timer);
        reject(aborted(label));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * Time that moves only when someone waits: a sleep of `ms` from time t yields to the event loop once and
 * then leaves the clock at max(now, t + ms). Requests take no time on it, so a burst lands in one window
 * however slowly the machine sends it, and concurrent sleeps overlap as they would on a wall clock.
 */
export function virtualClock(start = Date.now()): Clock {
  let t = start;
  return {
    now: () => t,
    sleep: (ms, signal, label = 'sleep') => {
      const until = t + Math.max(0, ms);
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(aborted(label));
        setImmediate(() => {
          if (signal?.aborted) return reject(aborted(label));
          t = Math.max(t, until);
          resolve();
        });
      });
    },
  };
}
