/**
 * A server that answers with broken HTTP framing answered: the report says so as a finding of ENV-002
 * (every response is a well-formed envelope), with the raw first line as evidence, never "cannot reach".
 * Each server below is a raw TCP server on 127.0.0.1 that forwards every request to the reference runtime
 * and breaks the framing of the answers to one route (GET /api/agent/v1/drafts/…): the run reaches it, and
 * the check that asked errors (it could not read the answer) while ENV-002 fails.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/suite.js';
import { createRuntime, startHttpServer } from '../../src/runtime/index.js';

const BROKEN: Record<string, string> = {
  'HTTP/0.9 (a body without a status line)': '{"ok":false,"code":"agent.draft_not_found","message":"no"}',
  'Content-Length and Transfer-Encoding both': 'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
  'invalid chunking': 'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
  'a header block over the limit': `HTTP/1.1 404 Not Found\r\nX-Filler: ${'a'.repeat(80_000)}\r\nContent-Length: 2\r\n\r\n{}`,
};

/** Forwards to `upstream`, except that a request for a draft gets `raw` back and the connection closes. */
async function breaking(upstream: number, raw: string): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    let up: Socket | undefined;
    client.on('data', (d) => {
      // One request per chunk on loopback: a request line for a draft gets the broken answer, and the connection ends.
      if (/^GET \/api\/agent\/v1\/drafts\//.test(d.toString('latin1'))) return void client.end(raw);
      if (!up) {
        up = connect(upstream, '127.0.0.1');
        sockets.add(up);
        up.on('data', (x) => client.write(x));
        up.on('close', () => client.destroy());
        up.on('error', () => client.destroy());
      }
      up.write(d);
    });
    client.on('error', () => up?.destroy());
    client.on('close', () => up?.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

let rt: ReturnType<typeof createRuntime>;
let upstream: Awaited<ReturnType<typeof startHttpServer>>;
beforeAll(async () => {
  rt = createRuntime();
  upstream = await startHttpServer(rt);
});
afterAll(async () => {
  await upstream.close();
  await rt.close();
});

describe.each(Object.entries(BROKEN))('broken framing: %s', (_, raw) => {
  it('is an ENV-002 finding quoting the first line, and the run reaches the server', async () => {
    const proxy = await breaking(Number(new URL(upstream.url).port), raw);
    try {
      const report = await run({ url: proxy.url, token: rt.bootstrap.agentToken, only: ['ENV-001', 'ENV-002'], seed: 1 });
      const byId = Object.fromEntries(report.results.map((r) => [r.id, r]));
      expect(byId['ENV-002']?.status).toBe('fail');
      expect(byId['ENV-002']?.message).toMatch(/not valid HTTP: broken framing \(.+\); first line: "/);
      expect(byId['ENV-002']?.message).toContain(JSON.stringify(raw.split(/\r?\n/)[0]!.slice(0, 60)).slice(1, -1));
      expect(byId['ENV-001']?.errorCode).toBe('OPC_E_BROKEN_FRAMING');
      expect(report.verdict).toBe('not-conformant');
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
