import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DOC_BLOCKS, gateConfigSchemaText, renderDoc } from '../src/cli/docs.js';
import { gateConfigSchema } from '../src/gate/config.js';
import { REQUIREMENTS } from '../src/protocol/requirements.js';

describe('docs/protocol.md', () => {
  const doc = readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8');
  it('lists every requirement id exactly once in its table', () => {
    // Each id cell carries the anchor SARIF rules link to.
    for (const r of REQUIREMENTS) expect(doc.split(`| <a id="${r.id.toLowerCase()}"></a>${r.id} |`).length - 1, r.id).toBe(1);
  });
});

describe('requirement basis', () => {
  it('every requirement names the section of the brief it rests on', () => {
    for (const r of REQUIREMENTS) {
      if (r.id.startsWith('GATE-')) continue;
      expect(r.basis, r.id).toMatch(/§\d+/);
    }
  });
});

describe('generated docs and schema', () => {
  const read = (rel: string) => readFileSync(new URL(`../${rel}`, import.meta.url), 'utf8');

  it.each(Object.keys(DOC_BLOCKS))('%s has current generated blocks (run `npm run docs`)', (rel) => {
    const doc = read(rel);
    for (const name of Object.keys(DOC_BLOCKS[rel]!)) expect(doc, name).toContain(`<!-- generated:${name} -->`);
    expect(renderDoc(rel, doc)).toBe(doc);
  });

  it('fixtures/schemas/gate-config.schema.json is current (run `npm run docs`)', () => {
    expect(read('fixtures/schemas/gate-config.schema.json')).toBe(gateConfigSchemaText());
  });

  it("docs/ci.md's example gate configuration is valid against the schema", () => {
    const example = /```yaml\n(# openport-gate\.yaml\n[\s\S]*?)```/.exec(read('docs/ci.md'))?.[1];
    expect(example).toBeDefined();
    const validate = new Ajv({ allErrors: true, strict: false }).compile(gateConfigSchema());
    expect(validate(parseYaml(example!)), JSON.stringify(validate.errors)).toBe(true);
  });
});
