import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_TARGET } from '../../src/engine/target.js';
import { TARGET_SCHEMA_PATH, loadTargetFile } from '../../src/engine/target-file.js';
import { PACKAGE_ROOT } from '../../src/engine/paths.js';
import { toolErrorOf } from './fakes.js';

const errorOf = (path: string) => toolErrorOf(() => loadTargetFile(path));

function file(text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'opc-target-')), 'target.yaml');
  writeFileSync(p, text);
  return p;
}

describe('target files', () => {
  it('the example documents the demo target exactly, and the schema accepts the demo target', () => {
    const example = join(PACKAGE_ROOT, 'fixtures', 'target.example.yaml');
    expect(parse(readFileSync(example, 'utf8'))).toEqual(DEMO_TARGET);
    expect(loadTargetFile(example)).toEqual(DEMO_TARGET);
    const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(TARGET_SCHEMA_PATH, 'utf8')));
    expect(validate(DEMO_TARGET)).toBe(true);
  });

  it('deep-merges over the demo target; tools and payloads replace whole', () => {
    const t = loadTargetFile(file([
      'orgId: org_acme',
      'containers: { primary: books }',
      'tools: { doc.read: { scopes: [doc.read], risk: low, write: false } }',
      'writes: { create: { payload: { folder: f1, name: $random } } }',
    ].join('\n')));
    expect(t.orgId).toBe('org_acme');
    expect(t.containers).toEqual({ ...DEMO_TARGET.containers, primary: 'books' });
    expect(Object.keys(t.tools)).toEqual(['doc.read']);
    expect(t.writes.create).toEqual({ ...DEMO_TARGET.writes.create, payload: { folder: 'f1', name: '$random' } });
    expect(t.writes.update).toEqual(DEMO_TARGET.writes.update);
    expect(DEMO_TARGET.orgId).toBe('org_demo');
  });

  it('names file, JSON path and allowed keys for an unknown key at any depth', () => {
    const p = file('writes:\n  create:\n    acton: transaction.create\n');
    const e = errorOf(p);
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(`invalid target file ${p}`);
    expect(e.message).toContain('/writes/create/acton: unknown key "acton"; allowed keys at /writes/create: action, risk, scopes, payload, witnessed, resultIdPath');
    expect(errorOf(file('orgid: x\n')).message).toMatch(/\/orgid: unknown key "orgid"; allowed keys at \/: orgId, otherOrgId, scopes/);
  });

  it('reports wrong types and enum values with their path', () => {
    expect(errorOf(file('rateLimit: { limit: "many" }\n')).message).toContain('/rateLimit/limit: must be integer');
    expect(errorOf(file('tools: { x: { scopes: [], risk: extreme, write: true } }\n')).message).toContain('/tools/x/risk: must be equal to one of the allowed values (low, medium, high)');
  });

  it('refuses missing files and invalid YAML', () => {
    expect(errorOf('/nonexistent/t.yaml').message).toBe('target file /nonexistent/t.yaml does not exist');
    expect(errorOf(file('orgId: [unclosed\n')).message).toMatch(/not valid YAML/);
  });
});
