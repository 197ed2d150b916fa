import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SHIPPED_TARGETS, TARGET_SCHEMA_PATH, TARGETS_DIR, loadTargetFile, shippedTarget } from '../../src/runner/target-file.js';
import { toolErrorOf } from './fakes.js';

const errorOf = (path: string) => toolErrorOf(() => loadTargetFile(path));

function file(text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'opc-target-')), 'target.yaml');
  writeFileSync(p, text);
  return p;
}

describe('target descriptions', () => {
  it('every shipped description is complete and valid on its own', () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(TARGET_SCHEMA_PATH, 'utf8')));
    for (const name of SHIPPED_TARGETS) {
      const raw = parse(readFileSync(join(TARGETS_DIR, `${name}.yaml`), 'utf8'));
      expect(validate(raw), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(shippedTarget(name)).toEqual(raw);
    }
    expect(shippedTarget('demo').orgId).toBe('org_demo');
  });

  it('a file without `extends` must be complete, and says which keys are missing', () => {
    const e = errorOf(file('orgId: org_acme\n'));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/\/: must have required property 'otherOrgId'/);
  });

  it('extends a shipped description: objects merge, tools and payloads replace whole; what it replaces no longer binds', () => {
    const demo = shippedTarget('demo');
    // The reads and write samples it keeps from the demo name tools of the map that replaces the demo's.
    const kept = ['ledger.list', 'transaction.list', 'transaction.create', 'transaction.update', 'transaction.delete', 'transaction.hard_delete', 'transactions.export_csv'];
    const writes = kept.map((n) => `${n}: ${JSON.stringify(demo.tools[n])}`).join(', ');
    const t = loadTargetFile(file([
      'extends: demo',
      'orgId: org_acme',
      'containers: { primary: books }',
      `tools: { doc.read: { scopes: [ledger.read], risk: low, write: false }, ${writes} }`,
      'writes: { create: { payload: { folder: f1, name: $random } } }',
      'sensitiveFields: [name]',
    ].join('\n')));
    expect(t.orgId).toBe('org_acme');
    expect(t.containers).toEqual({ ...demo.containers, primary: 'books' });
    expect(Object.keys(t.tools)).toEqual(['doc.read', ...kept]);
    expect(t.writes.create).toEqual({ ...demo.writes.create, payload: { folder: 'f1', name: '$random' } });
    expect(t.writes.update).toEqual(demo.writes.update);
    // The demo's tool map is the brief's and binds; a replaced map is the vendor's and may be stale.
    expect(demo.fixed).toEqual({ tools: true, sensitiveFields: false, rateLimit: false });
    expect(t.fixed).toEqual({ tools: false, sensitiveFields: true, rateLimit: false });
    expect(loadTargetFile(file('extends: demo\nrateLimit: { limit: 5, windowMs: 1000 }\n')).fixed?.rateLimit).toBe(true);
    expect(shippedTarget('demo').orgId).toBe('org_demo');
  });

  it('names file, JSON path and allowed keys for an unknown key at any depth', () => {
    const p = file('extends: demo\nwrites:\n  create:\n    acton: transaction.create\n');
    const e = errorOf(p);
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(`invalid target file ${p}`);
    expect(e.message).toContain('/writes/create/acton: unknown key "acton"; allowed keys at /writes/create: action, risk, scopes, payload, witnessed, resultIdPath, rowCountPath, window, effect');
    expect(errorOf(file('extends: demo\norgid: x\n')).message).toMatch(/\/orgid: unknown key "orgid"; allowed keys at \/: extends, orgId, otherOrgId, scopes/);
  });

  it('declares the MCP endpoint\'s session quotas optionally (MCP-008\'s bound), each a positive integer, no other key', () => {
    expect(shippedTarget('demo').mcpSessionQuotas).toBeUndefined();
    expect(loadTargetFile(file('extends: demo\nmcpSessionQuotas: { perKey: 2, total: 40 }\n')).mcpSessionQuotas).toEqual({ perKey: 2, total: 40 });
    expect(errorOf(file('extends: demo\nmcpSessionQuotas: { perkey: 2 }\n')).message).toContain('/mcpSessionQuotas/perkey: unknown key "perkey"; allowed keys at /mcpSessionQuotas: perKey, perTenant, total');
    expect(errorOf(file('extends: demo\nmcpSessionQuotas: { total: 0 }\n')).message).toContain('/mcpSessionQuotas/total: must be >= 1');
    expect(shippedTarget('demo').bodyLimitBytes).toBeUndefined();
    expect(loadTargetFile(file('extends: demo\nbodyLimitBytes: 65536\n')).bodyLimitBytes).toBe(65536);
    expect(errorOf(file('extends: demo\nbodyLimitBytes: 0\n')).message).toContain('/bodyLimitBytes: must be >= 1');
  });

  it('reports wrong types, enum values and unknown bases with their path', () => {
    expect(errorOf(file('extends: demo\nrateLimit: { limit: "many" }\n')).message).toContain('/rateLimit/limit: must be integer');
    expect(errorOf(file('extends: demo\ntools: { x: { scopes: [], risk: extreme, write: true } }\n')).message).toContain('/tools/x/risk: must be equal to one of the allowed values (low, medium, high)');
    expect(errorOf(file('extends: ledgerland\n')).message).toContain('/extends: must be equal to one of the allowed values (demo, helpdesk)');
  });

  it('refuses a tool reference that is not one of its reads, naming the key', () => {
    const e = errorOf(file('extends: demo\nreadBack: { tool: ticket.list }\n'));
    expect(e.message).toContain('/readBack/tool: "ticket.list" is not a tool of /reads (ledger.list, transaction.list)');
  });

  it('refuses a description that contradicts itself, naming file and path (exit 2)', () => {
    const p = file('extends: demo\nwrites: { highRisk: { action: transaction.purge } }\n');
    const e = errorOf(p);
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(`invalid target file ${p}: /writes/highRisk/action: "transaction.purge" is not a write tool of /tools`);
    expect(errorOf(file('extends: demo\nscopes: [ledger.read, transaction.read, transaction.write, transaction.delete]\n')).message)
      .toContain('/tools/transactions.export_csv/scopes: "transaction.export" is not one of /scopes (ledger.read, transaction.read, transaction.write, transaction.delete)');
    expect(errorOf(file('extends: demo\nwrites: { create: { risk: high } }\n')).message).toContain('/writes/create/risk: high disagrees with /tools/transaction.create/risk (medium)');
    expect(errorOf(file('extends: demo\nreads: [{ tool: ledger.list, path: /api/agent/v1/ledgers, scopes: [ledger.browse] }, { tool: transaction.list, path: /api/agent/v1/transactions, scopes: [transaction.read] }]\n')).message)
      .toContain('/reads/0/scopes: "ledger.browse" is not one of /scopes');
    // The failing write is a sample like the others: its tool, risk and scopes are held to /tools and /scopes.
    expect(errorOf(file('extends: demo\nwrites: { failing: { action: nope.tool } }\n')).message).toContain('/writes/failing/action: "nope.tool" is not a write tool of /tools');
    expect(errorOf(file('extends: demo\nwrites: { failing: { risk: high } }\n')).message).toMatch(/\/writes\/failing\/risk: high disagrees with \/tools\/[a-z._]+\/risk \(medium\)/);
    expect(errorOf(file('extends: demo\nwrites: { failing: { scopes: [ledger.browse] } }\n')).message).toContain('/writes/failing/scopes: "ledger.browse" is not one of /scopes');
  });

  it('refuses the contradictions a check would take for the server\'s: a read of no tool, other scopes than its tool\'s, one tenant or one container twice', () => {
    const reads = (ledger: string, txnScopes = 'transaction.read') => `extends: demo\nreads: [{ tool: ${ledger}, path: /api/agent/v1/ledgers, scopes: [ledger.read] }, { tool: transaction.list, path: /api/agent/v1/transactions, scopes: [${txnScopes}] }]\n`;
    // Named where it is wrong (the read), not where a later key refers to it.
    expect(errorOf(file(reads('ledger.lsit'))).message).toContain('/reads/0/tool: "ledger.lsit" is not a read tool of /tools (ledger.list, transaction.list)');
    expect(errorOf(file(reads('transaction.create'))).message).toContain('/reads/0/tool: "transaction.create" is not a read tool of /tools');
    expect(errorOf(file(reads('ledger.list', 'ledger.read'))).message).toContain('/reads/1/scopes: [ledger.read] disagrees with /tools/transaction.list/scopes [transaction.read]');
    expect(errorOf(file('extends: demo\notherOrgId: org_demo\n')).message).toContain('/otherOrgId: "org_demo" is /orgId too');
    expect(errorOf(file('extends: demo\ncontainers: { secondary: ledger_main }\n')).message).toContain('/containers/secondary: "ledger_main" is /containers/primary too');
    for (const wrong of [reads('ledger.lsit'), 'extends: demo\notherOrgId: org_demo\n']) expect(errorOf(file(wrong)).exitCode).toBe(2);
    // The same scopes in another order, or written twice, are the tool's.
    expect(() => loadTargetFile(file(reads('ledger.list', 'transaction.read, transaction.read')))).not.toThrow();
  });

  it('refuses missing files and invalid YAML', () => {
    expect(errorOf('/nonexistent/t.yaml').message).toBe('target file /nonexistent/t.yaml does not exist');
    // The library's message to where it points, as one sentence (its code frame left out, no colon left dangling).
    expect(errorOf(file('a:\n  b: c: d\n')).message).toMatch(/not valid YAML: Nested mappings are not allowed in compact mappings at line 2, column 6$/);
  });
});
