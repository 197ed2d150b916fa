// Embedded runs select the runtime's domain; a domain other than the demo brings its own target file.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ToolError } from '../../src/kit/check.js';
import { mutate } from '../support/suite.js';
import { run } from '../support/suite.js';
import { SHIPPED_TARGETS, TARGETS_DIR, shippedTarget } from '../../src/runner/target-file.js';
import { join } from 'node:path';
import { DOMAIN_NAMES } from '../../src/runtime/index.js';

describe('run --domain', () => {
  it('gives every domain of the runtime a shipped target description in fixtures/targets/', () => {
    for (const name of DOMAIN_NAMES) {
      expect(SHIPPED_TARGETS).toContain(name);
      expect(existsSync(join(TARGETS_DIR, `${name}.yaml`))).toBe(true);
    }
    const t = shippedTarget('helpdesk');
    expect(t).toMatchObject({ orgId: 'org_helpdesk', containers: { primary: 'prj_support', queryParam: 'projectId' }, writes: { highRisk: { action: 'ticket.close' } } });
    // Nothing of the demo is in it: tools, scopes, reads and writes are the helpdesk's own.
    expect(JSON.stringify(t)).not.toMatch(/ledger|transaction|org_demo|is_deleted/);
  });

  it('runs the embedded helpdesk with its target file and records the domain in the report', async () => {
    const report = await run({ domain: 'helpdesk', only: ['DISC-001', 'AUTHZ-001', 'ABAC-005', 'WRITE-002'], seed: 3 });
    expect(report.target).toEqual({ url: 'embedded:', embedded: true, faults: [], domain: 'helpdesk' });
    expect(report.results.map((r) => [r.id, r.status])).toEqual([['DISC-001', 'pass'], ['AUTHZ-001', 'pass'], ['ABAC-005', 'pass'], ['WRITE-002', 'pass']]);
    const demo = await run({ only: ['AUTHZ-001'], seed: 3 });
    expect(demo.target).toEqual({ url: 'embedded:', embedded: true, faults: [] });
    // The helpdesk target file against the demo runtime is not conformant: the two domains really differ.
    const crossed = await run({ targetFile: join(TARGETS_DIR, 'helpdesk.yaml'), only: ['AUTHZ-001'], seed: 3 });
    expect(crossed.results[0]!.status).not.toBe('pass');
  }, 60_000);

  it('refuses --domain with a url (exit 2) and an unknown domain, before any traffic', async () => {
    await expect(run({ url: 'http://127.0.0.1:9', domain: 'helpdesk' })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--domain applies only to the embedded runtime/) });
    const err = await run({ domain: 'crm' as never }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).message).toMatch(/unknown domain "crm"; valid domains: demo, helpdesk/);
  });

  it('mutate --domain runs every embedded run on that domain', async () => {
    const report = await mutate({ domain: 'helpdesk', profile: 'core', faults: ['abac-no-redaction'], seed: 3, parallel: 1 });
    expect(report.domain).toBe('helpdesk');
    expect(report.mutants[0]).toMatchObject({ fault: 'abac-no-redaction', killed: true });
  }, 120_000);
});
