#!/usr/bin/env node
/**
 * Runs the official MCP conformance suite's server scenarios against `serve --mcp` (the built runtime, in
 * this process, on loopback). The suite sends no credentials, so a small loopback proxy adds the agent's
 * bearer header. The suite needs Node >= 22; this script runs under the project's Node and starts the suite
 * with the binary given:
 *
 *   npm i --prefix /tmp/node24 node@24 && npm i --prefix /tmp/mcpconf @modelcontextprotocol/conformance@0.1.16
 *   NODE22=/tmp/node24/node_modules/.bin/node MCP_CONFORMANCE=/tmp/mcpconf/node_modules/@modelcontextprotocol/conformance/dist/index.js \
 *     node scripts/mcp-conformance.mjs
 *
 * Exit code: the suite's, checked against fixtures/mcp-conformance/expected-failures.yaml (0: every scenario
 * not listed passed and every listed one still fails).
 */
import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createRuntime, startHttpServer } from '../dist/src/runtime/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const node22 = process.env.NODE22;
const suite = process.env.MCP_CONFORMANCE;
if (!node22 || !suite) {
  process.stderr.write('set NODE22 (a node >= 22 binary) and MCP_CONFORMANCE (the conformance dist/index.js); see the header of this script\n');
  process.exit(2);
}

const runtime = createRuntime({ rateLimit: { limit: 100_000, windowMs: 60_000 } });
const served = await startHttpServer(runtime, { mcp: true });
const target = new URL(served.url);
const token = runtime.bootstrap.agentToken;
const proxy = createServer((req, res) => {
  // Host is forwarded as received, so the runtime's DNS-rebinding protection sees what the suite sent.
  const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, authorization: `Bearer ${token}` } }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  up.on('error', () => res.writeHead(502).end());
  req.pipe(up);
});
await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${proxy.address().port}/mcp`;
const child = spawn(node22, [suite, 'server', '--url', url, '--expected-failures', `${root}fixtures/mcp-conformance/expected-failures.yaml`], { stdio: 'inherit' });
const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 3)));
proxy.close();
await served.close();
await runtime.close();
process.exit(code);
