// Regenerates the generated blocks of docs/protocol.md and docs/coverage.md (from src/protocol) and of
// README.md (the tool-error codes of src/kit/tool-errors.ts); run `npm run docs`.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { renderGeneratedBlocks } from '../dist/src/report/docs.js';

for (const name of ['docs/protocol.md', 'docs/coverage.md', 'README.md']) {
  const file = new URL(`../${name}`, import.meta.url);
  const before = readFileSync(file, 'utf8');
  const after = renderGeneratedBlocks(before);
  if (after !== before) {
    writeFileSync(`${file.pathname}.tmp`, after);
    renameSync(`${file.pathname}.tmp`, file.pathname);
    console.log(`${name} updated`);
  } else console.log(`${name} already current`);
}
