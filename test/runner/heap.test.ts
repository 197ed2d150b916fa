// bodyRead: a full garbage collection after every COLLECT_AFTER bytes of large response bodies, none for small
// ones. The collection is seen through a WeakRef: its unreachable target is gone once a full collection ran (a
// WeakRef keeps its target until the end of the job that made it, hence the turn between).
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as heap from '../../src/runner/heap.js';
import { bodyRead, COLLECT_AFTER, LARGE_BODY } from '../../src/runner/heap.js';

const turn = () => new Promise((done) => setImmediate(done));

describe('bodyRead', () => {
  it('collects garbage once large bodies add up to COLLECT_AFTER bytes, and not for small bodies however many', async () => {
    const before = heap.collections;
    for (let i = 0; i < 1000; i++) bodyRead(LARGE_BODY - 1);
    expect(heap.collections).toBe(before);
    const ref = new WeakRef({ garbage: 'x'.repeat(64) });
    await turn();
    // At least COLLECT_AFTER of large bodies, whatever an earlier test of this process left counted: one collection.
    for (let read = 0; read < COLLECT_AFTER; read += LARGE_BODY) bodyRead(LARGE_BODY);
    expect(heap.collections).toBe(before + 1);
    expect(ref.deref()).toBeUndefined();
    // The flag that exposed the collector is off again: a context made later has no `gc`.
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});
