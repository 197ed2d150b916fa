/**
 * The rate-limit checks judge the rate they achieved, not the number of requests they sent. The reference
 * runtime (limit 10 per 1 000 ms) is reached through a loopback TCP proxy that holds every answer back
 * 150 ms: one request at a time, 40 requests span six windows and never meet the limit, which a count-based
 * check took for a missing limit. The paced burst widens to parallel requests and meets it.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/suite.js';
import { createRuntime, startHttpServer } from '../../src/runtime/index.js';
import { burst, mostInOneWindow, widthFor } from '../../src/kit/burst.js';
import type { CheckContext, Exchange } from '../../src/kit/check.js';
import { virtualClock } from '../../src/runner/clock.js';

const DELAY_MS = 150;
const RATE = { limit: 10, windowMs: 1000 };

/** A TCP proxy on 127.0.0.1 that forwards requests at once and every chunk of the answers DELAY_MS later. */
async function slowProxy(upstreamPort: number): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const up = connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(up);
    client.on('data', (d) => up.write(d));
    // Same delay for every chunk: timers of equal delay fire in order, so the byte stream stays intact.
    up.on('data', (d) => setTimeout(() => client.writable && client.write(d), DELAY_MS));
    const end = () => setTimeout(() => { client.destroy(); up.destroy(); }, DELAY_MS);
    up.on('close', end).on('error', end);
    client.on('close', () => up.destroy()).on('error', () => up.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'openport-latency-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rate-limit checks behind 150 ms of added latency', () => {
  it('ADM-001 and ADM-002 pass serve (10 per 1 000 ms) reached through the slow proxy, and say what rate they achieved', async () => {
    const rt = createRuntime({ rateLimit: RATE });
    const server = await startHttpServer(rt);
    const proxy = await slowProxy(Number(new URL(server.url).port));
    const target = join(dir, 'target.yaml');
    writeFileSync(target, `extends: demo\nrateLimit: {limit: ${RATE.limit}, windowMs: ${RATE.windowMs}}\n`);
    try {
      const report = await run({ url: proxy.url, adminHeaders: rt.adminHeaders, token: rt.bootstrap.agentToken, safety: 'load', only: ['ADM-001', 'ADM-002'], targetFile: target, seed: 1 });
      const byId = Object.fromEntries(report.results.map((r) => [r.id, r]));
      expect(byId['ADM-001']?.status, byId['ADM-001']?.message).toBe('pass');
      expect(byId['ADM-002']?.status, byId['ADM-002']?.message).toBe('pass');
      // The note carries the measurement: requests sent, the most inside one window, the parallelism used.
      expect(byId['ADM-001']!.actual).toMatch(/first 429 after \d+ requests, at most \d+ inside one 1000 ms window \(21 prove a missing limit\), up to \d+ in parallel/);
    } finally {
      await proxy.close();
      await server.close();
      await rt.close();
    }
  }, 60_000);
});

describe('the burst arithmetic', () => {
  it('counts only requests sent and answered inside one window', () => {
    const times = [{ start: 0, end: 100 }, { start: 50, end: 900 }, { start: 200, end: 1100 }, { start: 1000, end: 1050 }];
    // [50, 1050] holds the 2nd and the 4th (the 3rd is answered at 1100); [0, 1000] the 1st and the 2nd.
    expect(mostInOneWindow(times, 1000)).toBe(2);
    expect(mostInOneWindow(times, 500)).toBe(1);
  });

  it('widens to put a proof of a missing limit into half a window, within its bounds', () => {
    expect(widthFor(21, 150, 1000)).toBe(7);
    expect(widthFor(21, 1, 1000)).toBe(1);
    expect(widthFor(481, 5000, 60_000)).toBe(32);
  });

  it('sends the first request alone, then at least minWidth at once whatever the latency asks', async () => {
    const ctx = { target: { rateLimit: { limit: 20, windowMs: 60_000 } }, windowClock: virtualClock(), bulk: (f: () => Promise<Exchange>) => f() } as unknown as CheckContext;
    for (const minWidth of [1, 8]) {
      let inFlight = 0;
      let calls = 0;
      const widths: number[] = [];
      const request = async (): Promise<Exchange> => {
        const n = ++calls;
        widths.push(++inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return { request: { method: 'GET', path: '/x', headers: {} }, response: { status: n > 20 ? 429 : 200, headers: {}, text: '', json: undefined }, durationMs: 0 };
      };
      const o = await burst(ctx, request, { minWidth });
      expect(o.limited?.response.status).toBe(429);
      expect(widths[0]).toBe(1);
      expect(Math.max(...widths)).toBe(minWidth);
      expect(o.parallel).toBe(minWidth);
    }
  });
});

