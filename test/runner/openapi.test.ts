// The exported OpenAPI document is a valid OpenAPI 3.1 description (checked by @apidevtools/swagger-parser,
// not by our own code), the reference runtime's responses agree with it (ENV-010 with --openapi passes),
// and a server whose response shape contradicts it gets exactly one ENV-010 warning naming the JSON pointer.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiFor } from '../../src/cli/openapi.js';
import { createRuntime, startHttpServer } from '../../src/runtime/index.js';
import type { Runtime } from '../../src/runtime/types.js';
import { run, verdictResults } from '../support/suite.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'opc-openapi-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function exported(domain: 'demo' | 'helpdesk'): string {
  const file = join(dir, `${domain}.openapi.json`);
  writeFileSync(file, JSON.stringify(openApiFor({ domain })));
  return file;
}

/**
 * The agent plane's draft reads name the draft's creation time `createdAt` instead of the binding's
 * `created_at`: a shape change no other check looks at, so the only finding is the one the document makes.
 */
/** Drafts polled by the agent carry created_at as an object, where the document says a timestamp (a string or a number). */
function objectCreatedAt(rt: Runtime): Runtime {
  return {
    ...rt,
    async handle(req) {
      const res = await rt.handle(req);
      if (!req.path.startsWith('/api/agent/v1/drafts/') || res.status !== 200) return res;
      const body = JSON.parse(String(res.body));
      body.data.draft.created_at = { ms: Date.parse(body.data.draft.created_at) };
      return { ...res, body: JSON.stringify(body) };
    },
  };
}

describe('openapi', () => {
  it('the exported document of each domain validates as OpenAPI 3.1, with every error status of the registry', async () => {
    for (const domain of ['demo', 'helpdesk'] as const) {
      const api = (await SwaggerParser.validate(exported(domain))) as unknown as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
      expect(api.openapi).toBe('3.1.0');
      expect(Object.keys(api.paths)).toContain(domain === 'demo' ? '/api/agent/v1/transactions' : '/api/agent/v1/tickets');
      expect(Object.keys(api.paths['/api/agent/v1/actions']!.post!.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409', '429', '500']));
    }
  });

  it('run --openapi with the exported document: the reference runtime contradicts it nowhere', async () => {
    for (const domain of ['demo', 'helpdesk'] as const) {
      const r = await run({ domain, openapiFile: exported(domain), seed: 7 });
      expect(r.verdict).toBe('conformant');
      expect(verdictResults(r).filter((x) => x.status !== 'pass').map((x) => `${x.id}: ${x.message}`)).toEqual([]);
    }
  }, 120_000);

  it('a response shape the document contradicts is one ENV-010 warning, with the JSON pointer', async () => {
    const rt = createRuntime({});
    const server = await startHttpServer(objectCreatedAt(rt));
    try {
      const r = await run({ url: server.url, adminHeaders: rt.adminHeaders, token: rt.bootstrap.agentToken, openapiFile: exported('demo'), profile: 'state-witness', safety: 'load', seed: 7 });
      const env010 = r.results.find((x) => x.id === 'ENV-010')!;
      expect(env010.status).toBe('warn');
      expect(verdictResults(r).filter((x) => x.status !== 'pass').map((x) => x.id)).toEqual(['ENV-010']);
      expect(env010.message).toMatch(/GET \/api\/agent\/v1\/drafts\/\{id\} → 200: \/data\/draft\/created_at must be string,number .*JSON pointer \/data\/draft\/created_at\)/);
    } finally {
      await server.close();
      await rt.close();
    }
  }, 180_000);
});

describe('openapi --out', () => {
  it('makes the folder it names, and a folder it cannot make is exit 2 saying why', async () => {
    const { cli } = await import('../support/cli.js');
    const file = join(dir, 'new', 'folder', 'doc.json');
    const made = await cli(['openapi', '--out', file]);
    expect(made.code, made.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).openapi).toMatch(/^3\.1/);
    writeFileSync(join(dir, 'a-file'), 'x');
    const refused = await cli(['openapi', '--out', join(dir, 'a-file', 'doc.json')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`--out ${join(dir, 'a-file', 'doc.json')}: cannot create its folder`);
  });
});
