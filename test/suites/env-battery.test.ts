// The edge battery of the final checks (suites/env/battery.ts) is sent once a run, by the first of them to
// judge; every one of them judges it. One cut short is sent again by the next check only.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { run } from '../support/suite.js';
import { createRuntime } from '../../src/runtime/index.js';
import { virtualClock } from '../../src/runner/clock.js';

const FINAL = ['ENV-002', 'ENV-003', 'ENV-004', 'ENV-005', 'ENV-010', 'ENV-011'];
const BATTERY = (req: { headers: Record<string, unknown> }) => req.headers['x-openport-conform-probe'] === 'edge-battery';

describe('the edge battery', () => {
  it('is sent once a run, by one check, and every final check judges it', async () => {
    const sent: { check: string; key: string }[] = [];
    const report = await run({
      only: FINAL,
      seed: 3,
      onExchange: (check, ex) => {
        if (!BATTERY(ex.request)) return;
        sent.push({ check, key: `${ex.request.method} ${ex.request.path} ${ex.request.headers.authorization ?? ''} ${ex.request.body ?? ''}` });
      },
    });
    expect(report.results.map((r) => `${r.id} ${r.status}`)).toEqual(FINAL.map((id) => `${id} pass`));
    expect(sent.length).toBeGreaterThan(10);
    expect(new Set(sent.map((s) => s.check)).size).toBe(1);
    expect(new Set(sent.map((s) => s.key)).size).toBe(sent.length);
    // Each judged the battery with the rest of the run: its note counts at least the battery's responses.
    for (const r of report.results) expect(Number(/(\d+) responses inspected/.exec(r.actual ?? '')?.[1]), r.id).toBeGreaterThanOrEqual(sent.length);
  });

  it('cut short once (a connection closed mid-way), is sent again by the next check alone, and the others pass on it', async () => {
    const clock = virtualClock();
    const rt = createRuntime({ windowNow: clock.now });
    let closed = 0;
    // The runtime behind node:http, except that the first battery request with a body gets its connection closed.
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', async () => {
        if (BATTERY(req) && req.method === 'POST' && closed++ === 0) return void req.socket.destroy();
        const body = Buffer.concat(chunks);
        const r = await rt.handle({ method: req.method!, path: req.url!, headers: req.headers as Record<string, string>, body: body.length ? body : undefined, clientIp: '127.0.0.1' });
        res.writeHead(r.status, r.headers).end(r.body);
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const senders: string[] = [];
    try {
      const report = await run({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        token: rt.bootstrap.agentToken,
        adminHeaders: rt.adminHeaders,
        only: FINAL,
        seed: 3,
        windowClock: clock,
        onExchange: (check, ex) => void (BATTERY(ex.request) && !senders.includes(check) && senders.push(check)),
      });
      const status = Object.fromEntries(report.results.map((r) => [r.id, r.status]));
      expect(closed).toBeGreaterThan(1);
      // The first final check's battery failed: that check is an error; the next one sent it again, alone.
      expect(senders).toHaveLength(2);
      expect(status[senders[0]!]).toBe('error');
      expect(Object.entries(status).filter(([id]) => id !== senders[0]).map(([id, s]) => `${id} ${s}`)).toEqual(FINAL.filter((id) => id !== senders[0]).map((id) => `${id} pass`));
    } finally {
      await new Promise((ok) => server.close(ok));
      await rt.close();
    }
  });
});
