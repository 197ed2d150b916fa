/**
 * The exchange journal's writer thread (src/runner/journal.ts, which starts it): applies the operations the
 * run's thread posts, in order, to one JournalFile, and answers each `y` operation on the reply port, then by
 * raising the shared counter the run's thread waits on; every operation raises the progress counter.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { JournalFile, type JournalOp, type WriterShared } from './journal.js';

const shared = workerData as WriterShared;
const journal = new JournalFile(shared);

parentPort!.on('message', (ops: JournalOp[]) => {
  for (const op of ops) {
    const answer = journal.apply(op);
    // Progress the run's thread can see while it waits (a writer that stops without marking itself dead, out of memory, shows none).
    Atomics.add(shared.state, 2, 1);
    if (answer === undefined) continue;
    shared.replies.postMessage(answer);
    Atomics.store(shared.state, 0, answer.id);
    Atomics.notify(shared.state, 0);
  }
});
