// Regenerates the generated blocks of the docs and the gate config schema (run `npm run docs`): see
// src/cli/docs.ts for what is generated from where.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { DOC_BLOCKS, gateConfigSchemaText, releasesText, renderDoc } from '../dist/src/cli/docs.js';
import { shippedYamlText } from '../dist/src/kit/lazy.js';

function update(rel, render) {
  const file = new URL(`../${rel}`, import.meta.url).pathname;
  const before = readFileSync(file, 'utf8');
  const after = render(before);
  if (after === before) return console.log(`${rel} already current`);
  writeFileSync(`${file}.tmp`, after);
  renameSync(`${file}.tmp`, file);
  console.log(`${rel} updated`);
}

for (const rel of Object.keys(DOC_BLOCKS)) update(rel, (text) => renderDoc(rel, text));
update('fixtures/schemas/gate-config.schema.json', () => gateConfigSchemaText());
update('profiles/releases.json', () => releasesText());
update('fixtures/compiled/shipped-yaml.json', () => shippedYamlText());
