import { describe, expect, it } from 'vitest';
import { sharedSchemaValidator } from '../../src/runtime/mcp.js';

describe('the MCP servers and clients share one schema validator', () => {
  const schema = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } }, required: ['id'] };

  it('compiles a schema once, however many sessions ask for it, and validates as the SDK default does (formats included)', () => {
    const v = sharedSchemaValidator();
    expect(sharedSchemaValidator()).toBe(v);
    const a = v.getValidator(schema);
    expect(v.getValidator(structuredClone(schema))).toBe(a);
    expect(a({ id: '6f1c2d3e-4a5b-4c6d-8e7f-8a9b0c1d2e3f' }).valid).toBe(true);
    const bad = a({ id: 'not-a-uuid' });
    expect(bad.valid).toBe(false);
    expect(bad.errorMessage).toMatch(/uuid/);
    expect(a({}).valid).toBe(false);
  });

  it('is bounded: past a thousand distinct schemas (a server may send endless ones) it starts afresh', () => {
    const v = sharedSchemaValidator();
    const first = v.getValidator(schema);
    for (let i = 0; i < 1_000; i++) v.getValidator({ const: i });
    const again = v.getValidator(schema);
    expect(again).not.toBe(first);
    expect(again({ id: '6f1c2d3e-4a5b-4c6d-8e7f-8a9b0c1d2e3f' }).valid).toBe(true);
  });
});
