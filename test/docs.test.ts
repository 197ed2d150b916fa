import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DOC_BLOCKS, gateConfigSchemaText, releasesText, renderDoc } from '../src/cli/docs.js';
import { gateConfigSchema } from '../src/gate/config.js';
import { shippedYamlText } from '../src/kit/lazy.js';
import { REQUIREMENTS } from '../src/protocol/requirements.js';
import { CLAUSES } from '../src/protocol/clauses.js';

/** A docs page with a generated table that lists each of `ids` exactly once with its anchor (links point at them). */
function listsEachOnce(page: string, ids: readonly string[]): void {
  it(`docs/${page} lists every id exactly once in its table`, () => {
    const doc = readFileSync(new URL(`../docs/${page}`, import.meta.url), 'utf8');
    for (const id of ids) expect(doc.split(`| <a id="${id.toLowerCase()}"></a>${id} |`).length - 1, id).toBe(1);
  });
}

describe('generated tables', () => {
  listsEachOnce('protocol.md', REQUIREMENTS.map((r) => r.id));
  listsEachOnce('coverage.md', CLAUSES.map((c) => c.id));
});

describe('requirement basis', () => {
  it('every requirement names the section of the brief it rests on (the MCP binding\'s rules: a row of docs/mcp-binding.md that exists)', () => {
    const binding = readFileSync(new URL('../docs/mcp-binding.md', import.meta.url), 'utf8');
    for (const r of REQUIREMENTS) {
      if (r.id.startsWith('GATE-')) continue;
      const row = /^docs\/mcp-binding\.md ([A-Z]\d+): /.exec(r.basis);
      if (row) expect(binding, `${r.id}: row ${row[1]}`).toContain(`| ${row[1]} |`);
      else expect(r.basis, r.id).toMatch(/§\d+/);
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

  it("profiles/releases.json holds this version's digests, as verify judges bundles by them (run `npm run docs`)", () => {
    expect(read('profiles/releases.json')).toBe(releasesText());
  });

  it('fixtures/compiled/shipped-yaml.json is current, so runs start without parsing YAML (run `npm run docs`)', () => {
    expect(read('fixtures/compiled/shipped-yaml.json')).toBe(shippedYamlText());
  });

  it("docs/ci.md's example gate configuration is valid against the schema", () => {
    const example = /```yaml\n(# openport-gate\.yaml\n[\s\S]*?)```/.exec(read('docs/ci.md'))?.[1];
    expect(example).toBeDefined();
    const validate = new Ajv({ allErrors: true, strict: false }).compile(gateConfigSchema());
    expect(validate(parseYaml(example!)), JSON.stringify(validate.errors)).toBe(true);
  });
});
