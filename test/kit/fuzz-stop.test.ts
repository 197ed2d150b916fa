// A generated-input property stops when its run is stopped (Ctrl-C, --max-time, the check's deadline), however
// many cases its budget still holds, and gives the event loop its turn while it runs: against the embedded
// runtime no case needs a macrotask, and a signal, a timer or the cleanup's sockets would wait for the budget.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Finding, type CheckContext } from '../../src/kit/check.js';
import { checkProperty } from '../../src/kit/fuzz-driver/driver.js';
import { createReferenceOracle } from '../../src/kit/fuzz-driver/oracle.js';
import { AGENT_BASE } from '../../src/protocol/types.js';

function fuzzContext(signal: AbortSignal): CheckContext {
  return {
    checkId: 'FUZZ-001', seed: 1, signal, fuzz: { runs: 20_000, timeMs: 3_600_000 },
    now: () => 0, bulk: <T>(send: () => Promise<T>) => send(), partial: () => undefined, replay: () => '',
  } as unknown as CheckContext;
}

describe('checkProperty when the run stops', () => {
  it('ends generation at once with an error of the stop, not after the cases its budget still holds', async () => {
    const stop = new AbortController();
    let generated = 0;
    let judged = 0;
    const arb = fc.integer().map((x) => (generated++, x));
    const run = checkProperty(fuzzContext(stop.signal), arb, async () => {
      if (++judged === 50) stop.abort();
    }, { show: String });
    await expect(run).rejects.toMatchObject({ code: 'OPC_E_ABORTED', message: 'FUZZ-001: stopped after 50 generated cases' });
    expect(judged).toBe(50);
    // (A few more values are the shrinker's candidates of the case that stopped it, each passed at once.)
    expect(generated).toBeLessThan(200);
  });

  it('lets a timer due meanwhile run while cases are answered without a macrotask (a signal handler is one)', async () => {
    const stop = new AbortController();
    let judged = 0;
    setImmediate(() => stop.abort());
    await expect(checkProperty(fuzzContext(stop.signal), fc.integer(), async () => void judged++, { show: String })).rejects.toMatchObject({ code: 'OPC_E_ABORTED' });
    expect(judged).toBeLessThanOrEqual(32);
  });
});

describe('checkProperty stopped while it shrinks a failure', () => {
  it('reports the failure found, not the stop', async () => {
    const stop = new AbortController();
    const run = checkProperty(fuzzContext(stop.signal), fc.integer({ min: 0, max: 1_000_000 }), async (v) => {
      if (v > 1_000) {
        stop.abort();
        throw new Finding('too large', 'at most 1000', String(v));
      }
    }, { show: String });
    await expect(run).rejects.toBeInstanceOf(Finding);
  });
});

describe('the reference oracle of FUZZ-006', () => {
  it('answers a bad credential as the protocol does however many came before (no limit on refused authentications)', async () => {
    const oracle = await createReferenceOracle();
    const bad = { method: 'GET', path: `${AGENT_BASE}/manifest`, headers: { authorization: 'Bearer op_not_a_token_of_this_runtime_000' } };
    // More than a default runtime refuses per address and minute before it answers 429 (6 000).
    for (let i = 0; i < 6_001; i++) await oracle.answer(bad);
    expect(await oracle.answer(bad)).toEqual({ status: 401, code: 'agent.token_invalid' });
  });
});
