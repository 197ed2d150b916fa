/**
 * The exchange journals' writer thread (src/runner/journal.ts starts one per process): applies the operations
 * the run's thread posts for each open journal, in order, to that journal's JournalFile, and answers each `y`
 * operation on the reply port, then by raising the journal's counter the run's thread waits on. Every
 * operation raises the thread's progress counter.
 */
import { workerData, parentPort, type MessagePort } from 'node:worker_threads';
import { JournalFile, type WriterMessage } from './journal.js';

const { status, replies } = workerData as { status: Int32Array; replies: MessagePort };
const open = new Map<number, { file: JournalFile; state: Int32Array }>();

parentPort!.on('message', (m: WriterMessage) => {
  if ('open' in m) {
    open.set(m.j, { file: new JournalFile(m.open), state: m.open.state });
    return;
  }
  const journal = open.get(m.j);
  if (journal === undefined) return;
  if ('drop' in m) {
    journal.file.drop();
    open.delete(m.j);
    return;
  }
  for (const op of m.ops) {
    const answer = journal.file.apply(op);
    // Progress the run's thread can see while it waits (a writer that stops without marking itself dead, out of memory, shows none).
    Atomics.add(status, 1, 1);
    if (answer === undefined) continue;
    replies.postMessage({ j: m.j, ...answer });
    Atomics.store(journal.state, 0, answer.id);
    Atomics.notify(journal.state, 0);
    // The end line is written: the journal is done.
    if (op.k === 'y' && op.end !== undefined) open.delete(m.j);
  }
});
