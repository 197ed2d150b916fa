// Regenerates the generated blocks of docs/protocol.md and docs/coverage.md from src/protocol (run `npm run docs`).
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { renderGeneratedBlocks } from '../dist/src/report/docs.js';

for (const name of ['protocol.md', 'coverage.md']) {
  const file = new URL(`../docs/${name}`, import.meta.url);
  const before = readFileSync(file, 'utf8');
  const after = renderGeneratedBlocks(before);
  if (after !== before) {
    writeFileSync(`${file.pathname}.tmp`, after);
    renameSync(`${file.pathname}.tmp`, file.pathname);
    console.log(`docs/${name} updated`);
  } else console.log(`docs/${name} already current`);
}
