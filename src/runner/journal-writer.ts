/**
 * The exchange journal's writer thread (src/runner/journal.ts): applies the operations the run's thread posts,
 * in order, to one JournalFile, and answers each `y` operation on the reply port, then by raising the shared
 * counter the run's thread waits on.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { JournalFile, type JournalHeader, type JournalOp } from './journal.js';

const { fd, file, header, acked, replies } = workerData as { fd: number; file: string; header: JournalHeader; acked: Int32Array; replies: MessagePort };
const journal = new JournalFile(fd, file, header);

parentPort!.on('message', (ops: JournalOp[]) => {
  for (const op of ops) {
    const answer = journal.apply(op);
    if (answer === undefined) continue;
    replies.postMessage(answer);
    Atomics.store(acked, 0, answer.id);
    Atomics.notify(acked, 0);
  }
});
