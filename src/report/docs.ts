/**
 * Generated sections of docs/protocol.md: the requirement table and the reason-code registry, rendered from
 * src/protocol so the docs can never drift from what the runtime raises and the checks expect (src/cli/docs.ts
 * lists the generated blocks of every docs file).
 */
import { REASON_CODES, type ReasonCodeInfo } from '../protocol/codes.js';
import { REQUIREMENTS } from '../protocol/requirements.js';

const esc = (s: string) => s.replace(/\|/g, '\\|');

export function requirementTable(): string {
  // The anchor is what SARIF rules' helpUri points at.
  const rows = REQUIREMENTS.map((r) => `| <a id="${r.id.toLowerCase()}"></a>${r.id} | ${r.level} | ${r.layer} | ${esc(r.title)} | ${esc(r.basis)} |`);
  return ['| id | level | layer | requirement | rests on (protocol brief) |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function reasonCodeTable(): string {
  const rows = Object.entries(REASON_CODES).map(([code, i]) => {
    const info = i as ReasonCodeInfo;
    const where = info.status === null ? `— (${info.carrier === 'autoExecuteDenied' ? 'data.autoExecuteDeniedCode, HTTP 200' : info.carrier})` : String(info.status);
    return `| \`${code}\` | ${where} | ${info.kind} | ${esc(info.meaning)} |`;
  });
  return ['| code | HTTP | kind | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** docs/protocol.md's generated blocks. */
export const protocolBlocks: Record<string, () => string> = { requirements: requirementTable, 'reason-codes': reasonCodeTable };

/** Replace every `<!-- generated:NAME -->…<!-- /generated:NAME -->` block of `doc` with its current content. */
export function renderGeneratedBlocks(doc: string, blocks: Record<string, () => string> = protocolBlocks): string {
  return doc.replace(/<!-- generated:([\w-]+) -->[\s\S]*?<!-- \/generated:\1 -->/g, (whole, name: string) => {
    const gen = blocks[name];
    return gen ? `<!-- generated:${name} -->\n${gen()}\n<!-- /generated:${name} -->` : whole;
  });
}
