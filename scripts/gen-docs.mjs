// Regenerates the generated blocks of docs/protocol.md from src/protocol (run `npm run docs`).
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { renderGeneratedBlocks } from '../dist/src/report/docs.js';

const file = new URL('../docs/protocol.md', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = renderGeneratedBlocks(before);
if (after !== before) {
  writeFileSync(`${file.pathname}.tmp`, after);
  renameSync(`${file.pathname}.tmp`, file.pathname);
  console.log('docs/protocol.md updated');
} else console.log('docs/protocol.md already current');
