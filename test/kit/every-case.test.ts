// everyCase: a check with several independent cases reports every failing one, not only the first.
import { describe, expect, it } from 'vitest';
import { Finding } from '../../src/kit/check.js';
import { everyCase, fail } from '../../src/kit/expect.js';

describe('everyCase', () => {
  it('passes when no case fails, and rethrows a lone finding as it is', async () => {
    const none = everyCase();
    await none.run(() => undefined);
    expect(() => none.done()).not.toThrow();
    const one = everyCase();
    await one.run(() => fail('only this', 'x', 'y'));
    expect(() => one.done()).toThrow(/^only this$/);
  });

  it('names every failing case, keeps the first one\'s expectation, and lets other errors through', async () => {
    const c = everyCase();
    await c.run(() => fail('first', 'HTTP 403', 'HTTP 200'));
    await c.run(() => undefined);
    await c.run(async () => fail('second', 'HTTP 403', 'HTTP 201'));
    let thrown: unknown;
    try {
      c.done();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(Finding);
    expect((thrown as Finding).message).toBe('2 cases fail: (1) first; (2) second');
    expect((thrown as Finding).expected).toBe('HTTP 403');
    expect((thrown as Finding).actual).toBe('HTTP 200; and HTTP 201');
    await expect(everyCase().run(() => { throw new TypeError('a bug, not a finding'); })).rejects.toThrow(TypeError);
  });
});
