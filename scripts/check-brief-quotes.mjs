// Checks the quotes of the requirement table and of the clause table against the protocol brief: every
// quoted sentence of a requirement's `basis` is a sentence of the brief, and every clause's `quote` is a
// verbatim passage of the section the clause names. The MCP binding's rows (MCP-* requirements, clauses of
// section 'MCP') quote the project's normative binding document, docs/mcp-binding.md, instead.
// The brief lives outside the repository (../shared/protocol/openport-v1.md, or the path given), so this is a
// maintainer's script, not a test: `npm run build && node scripts/check-brief-quotes.mjs [BRIEF]`.
import { readFileSync } from 'node:fs';
const { REQUIREMENTS } = await import('../dist/src/protocol/requirements.js');
const { CLAUSES } = await import('../dist/src/protocol/clauses.js');
const file = process.argv[2] ?? new URL('../../shared/protocol/openport-v1.md', import.meta.url);
// Backticks and double quotes are markup in the brief; quotes are compared without them.
const normalize = (s) => s.replace(/[`"]/g, '').replace(/\s+/g, ' ');
const raw = readFileSync(file, 'utf8');
const brief = normalize(raw);
const binding = normalize(readFileSync(new URL('../docs/mcp-binding.md', import.meta.url), 'utf8'));
/** '§N' → the normalized text of section N (its heading to the next one). */
const sections = new Map(raw.split(/^(?=## \d+\.)/m).flatMap((part) => {
  const n = /^## (\d+)\./.exec(part)?.[1];
  return n ? [[`§${n}`, normalize(part)]] : [];
}));
let bad = 0;
const report = (what) => {
  bad++;
  console.log(what);
};
for (const r of REQUIREMENTS) {
  for (const [, quote] of r.basis.matchAll(/"([^"]+)"/g)) {
    for (const part of quote.split(' … ')) {
      const [source, name] = r.id.startsWith('MCP-') ? [binding, 'docs/mcp-binding.md'] : [brief, 'the brief'];
      if (!source.includes(normalize(part))) report(`${r.id}: not in ${name}: "${part}"`);
    }
  }
}
for (const c of CLAUSES) {
  const text = c.section === 'MCP' ? binding : sections.get(c.section);
  if (!text) report(`${c.id}: the brief has no section ${c.section}`);
  else if (!text.includes(normalize(c.quote))) report(`${c.id}: not in ${c.section} of the brief: "${c.quote}"`);
}
console.log(bad ? `${bad} quote(s) not found` : `every quote of ${REQUIREMENTS.length} requirements and ${CLAUSES.length} clauses is in the brief`);
process.exitCode = bad ? 1 : 0;
