/**
 * `run --list` is the run's own plan: the same planner, the same validation (target file, credentials), and
 * the same credentials (a token the run provisions with admin headers from --safety draft up). And
 * `explain ID --target FILE` never replays a check against a runtime that refuses the description's tenant.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';

// Never contacted: a dry run sends no request.
const URL = 'http://127.0.0.1:9';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'openport-plan-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe.concurrent('run --list plans like run', () => {
  it('with admin headers and --safety load, predicts no "needs an agent token" skip: the run provisions one', async () => {
    const out = await cli(['run', URL, '--admin-header', 'authorization: Bearer adm_x', '--safety', 'load', '--list']);
    expect(out.code).toBe(0);
    expect(out.stdout).not.toContain('needs an agent token');
    // The only skips are the checks of the MCP binding's own rules, outside an HTTP run's verdict.
    const skipped = out.stdout.split('\n').filter((l) => /\bskip\b/.test(l));
    expect(skipped.length).toBeGreaterThan(0);
    for (const l of skipped) expect(l).toMatch(/^MCP-\d{3} .*does not apply to the HTTP binding: it judges the MCP binding itself \(docs\/mcp-binding\.md\) \(outside the verdict\)$/);
    expect(out.stdout).toContain(`would run, ${skipped.length} would be skipped, 0 held back`);
  });

  it('at read-only, a check of the other binding is skipped as not applicable, not held back: no --safety would run it', async () => {
    const http = await cli(['run', URL, '--token', 'op_x', '--list']);
    expect(http.code).toBe(0);
    const line = (out: string, id: string) => out.split('\n').find((l) => l.startsWith(`${id} `)) ?? '';
    for (const id of ['MCP-002', 'MCP-003', 'MCP-005', 'MCP-008', 'MCP-009']) expect(line(http.stdout, id), id).toMatch(/\bskip\b.*does not apply to the HTTP binding/);
    // Held back are only HTTP checks above read-only, and the flag that would run them names no MCP check.
    const held = http.stdout.split('\n').filter((l) => /held back/.test(l) && /^[A-Z]+-\d{3} /.test(l));
    expect(held.length).toBeGreaterThan(0);
    expect(held.filter((l) => l.startsWith('MCP-'))).toEqual([]);
    // Over MCP the same checks apply, so read-only holds them back.
    const mcp = await cli(['run', URL, '--token', 'op_x', '--binding', 'mcp', '--list']);
    expect(mcp.code, mcp.stderr).toBe(0);
    expect(line(mcp.stdout, 'MCP-002')).toMatch(/held back/);
  });

  it('still predicts the skip when nothing lets the run hold a token (read-only safety, no --token)', async () => {
    const out = await cli(['run', URL, '--admin-header', 'authorization: Bearer adm_x', '--list']);
    expect(out.stdout).toContain('needs an agent token');
  });

  it('refuses a missing or broken target file (exit 2), as run does', async () => {
    const missing = await cli(['run', URL, '--target', join(dir, 'nope.yaml'), '--list']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    const broken = await cli(['run', URL, '--target', file('broken.yaml', 'orgId: [unclosed\n'), '--list']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/not valid YAML/);
    const inconsistent = await cli(['run', URL, '--target', file('bad.yaml', 'extends: demo\nwrites: { highRisk: { action: transaction.purge } }\n'), '--list']);
    expect(inconsistent.code).toBe(2);
    expect(inconsistent.stderr).toContain('/writes/highRisk/action');
  });

  it('reads the token from the environment like run', async () => {
    const out = await cli(['run', URL, '--list'], { env: { OPENPORT_CONFORM_TOKEN: 'op_AAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(out.code).toBe(0);
    expect(out.stdout).not.toContain('needs an agent token');
  });
});

describe('explain --target', () => {
  it('without an embedded runtime for the tenant: keys and request shapes, no replay', async () => {
    const out = await cli(['explain', 'TENANT-001', '--target', file('acme.yaml', 'extends: helpdesk\norgId: org_acme\n')]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('is not replayed');
    expect(out.stdout).toContain('orgId = "org_acme"');
    expect(out.stdout).toContain('GET /api/agent/v1/tickets?projectId=prj_support');
    expect(out.stdout).not.toMatch(/→ 400/);
  });
});
