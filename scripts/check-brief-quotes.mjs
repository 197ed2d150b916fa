// Checks that every quoted sentence in the requirement table's `basis` is a sentence of the protocol brief.
// The brief lives outside the repository (../shared/protocol/openport-v1.md, or the path given), so this is a
// maintainer's script, not a test: `npm run build && node scripts/check-brief-quotes.mjs [BRIEF]`.
import { readFileSync } from 'node:fs';
const { REQUIREMENTS } = await import('../dist/src/protocol/requirements.js');
const file = process.argv[2] ?? new URL('../../shared/protocol/openport-v1.md', import.meta.url);
const brief = readFileSync(file, 'utf8').replace(/[`"]/g, '').replace(/\s+/g, ' ');
let bad = 0;
for (const r of REQUIREMENTS) {
  for (const [, quote] of r.basis.matchAll(/"([^"]+)"/g)) {
    for (const part of quote.split(' … ')) {
      if (!brief.includes(part.replace(/\s+/g, ' '))) {
        bad++;
        console.log(`${r.id}: not in the brief: "${part}"`);
      }
    }
  }
}
console.log(bad ? `${bad} quote(s) not found` : `every quote of ${REQUIREMENTS.length} requirements is in the brief`);
process.exitCode = bad ? 1 : 0;
