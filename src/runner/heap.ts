/**
 * Memory against a server that answers with large bodies. Every such body is read whole, decoded and parsed, so
 * a run against one allocates several copies of each (bytes, text, parsed value) and keeps only the few its
 * sample holds; V8 lets that garbage grow to hundreds of MB before it collects, since nothing else in the run
 * asks it to. A full collection after every COLLECT_AFTER bytes of large bodies keeps the process near what it
 * holds: 10 to 30 ms each time, and never against a server whose answers are small.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A body this large counts towards the next collection. */
export const LARGE_BODY = 1024 * 1024;
/** Bytes of large bodies read between two collections. */
export const COLLECT_AFTER = 8 * 1024 * 1024;

let read = 0;
/** Collections asked for so far (for tests). */
export let collections = 0;
/** V8's collector, obtained once (undefined: not yet; null: this runtime does not offer it). */
let gc: (() => void) | null | undefined;

/** Counts a response body of `bytes` just read; past COLLECT_AFTER of large ones, collects garbage now. */
export function bodyRead(bytes: number): void {
  if (bytes < LARGE_BODY) return;
  read += bytes;
  if (read < COLLECT_AFTER) return;
  read = 0;
  if (gc === undefined) {
    try {
      // The flag exposes `gc` to contexts created while it is set: one, here, and then no other (a vm context or a
      // worker the process starts later gets no `gc` of ours).
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  gc?.();
  collections++;
}
