/**
 * Generated sections of the docs rendered from src/protocol, src/kit and the runtime's fault list (handed in:
 * reporters do not import the runtime), so the docs can never drift from what the runtime raises, the checks
 * expect, the clauses claim and the faults break: docs/protocol.md's requirement table and reason-code
 * registry, docs/coverage.md's clause table, README's tool-error codes (src/cli/docs.ts lists the generated
 * blocks of every docs file).
 */
import { AREAS, REQUIREMENTS } from '../protocol/requirements.js';
import { REASON_CODES, type ReasonCodeInfo } from '../protocol/codes.js';
import { CLAUSES } from '../protocol/clauses.js';
import { PAPER, SECTION_SOURCES } from '../protocol/sources.js';
import { TOOL_ERRORS, type ToolErrorInfo } from '../kit/tool-errors.js';

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

/** A quote of the brief as Markdown text: its angle brackets (`<agent token>`) and pipes are not markup. */
function quoted(s: string): string {
  return `“${esc(s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\*/g, '\\*'))}”`;
}

/** What the clause table needs of a runtime fault (src/runtime/faults): its name and the clauses it breaks. */
export interface FaultRef {
  readonly name: string;
  readonly clauses: readonly string[];
}

/**
 * The clause table with its summary: how many clauses, how many a check judges, how many have a killing fault
 * (a fault breaks the clause and a check judges it: `mutate` proves each such fault caught by one of the
 * clause's own requirements, and its test keeps the two counts equal), and what rests on none.
 */
export function coverageTable(faults: readonly FaultRef[]): string {
  const judged = CLAUSES.filter((c) => c.requirements.length > 0);
  const breakers = (id: string) => faults.filter((f) => f.clauses.includes(id)).map((f) => f.name);
  const killed = judged.filter((c) => breakers(c.id).length > 0);
  const beyond = CLAUSES.filter((c) => c.beyondReach !== undefined);
  const gaps = AREAS.map((a) => [a, CLAUSES.filter((c) => c.id.startsWith(`${a}.`) && c.requirements.length === 0 && c.beyondReach === undefined).length] as const).filter(([, n]) => n > 0);
  const named = new Set(CLAUSES.flatMap((c) => c.requirements));
  const unanchored = REQUIREMENTS.filter((r) => !named.has(r.id)).map((r) => `[${r.id}](protocol.md#${r.id.toLowerCase()})`);
  const rows = CLAUSES.map((c) => {
    const by = c.requirements.length ? c.requirements.map((id) => `[${id}](protocol.md#${id.toLowerCase()})`).join(', ') : c.beyondReach !== undefined ? `beyond a client's reach: ${esc(c.beyondReach)}` : '—';
    const broken = breakers(c.id).map((f) => `\`${f}\``).join(', ') || '—';
    return `| <a id="${c.id.toLowerCase()}"></a>${c.id} | ${c.section} | ${quoted(c.quote)} | ${c.level} | ${c.bindings?.join(', ') ?? 'any'} | ${by} | ${broken} |`;
  });
  return [
    `${CLAUSES.length} clauses, ${judged.length} judged by at least one check, ${killed.length} with a killing fault, ${beyond.length} beyond a client's reach.`,
    '',
    `Judged by no check yet: ${gaps.map(([a, n]) => `${a} ${n}`).join(' · ') || 'none'}.`,
    '',
    `Requirements that rest on no clause of the brief: ${unanchored.join(', ') || 'none'}.`,
    '',
    '| clause | § | the brief says | level | binding | judged by | broken by (fault) |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function toolErrorTable(): string {
  const rows = Object.entries(TOOL_ERRORS).map(([code, i]) => `| \`${code}\` | ${(i as ToolErrorInfo).exit} | ${esc((i as ToolErrorInfo).meaning)} |`);
  return ['| code | exit | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** docs/protocol.md: where each section of the protocol brief a requirement cites ("§6") can be read in public. */
export function sourceTable(): string {
  const rows = Object.entries(SECTION_SOURCES).map(([n, s]) =>
    `| §${n} | ${esc(s.title)} | [${esc(s.title)}](#${s.reading}) | [${PAPER.id}](${PAPER.url}) · ${s.spec.map((x) => `[${esc(x.label)}](${x.url})`).join(' · ')} |`);
  return ['| § | brief section | our reading | public sources |', '|---|---|---|---|', ...rows].join('\n');
}

/** docs/protocol.md's generated blocks. */
export const protocolBlocks: Record<string, () => string> = { requirements: requirementTable, 'reason-codes': reasonCodeTable, sources: sourceTable };

/** Replace every `<!-- generated:NAME -->…<!-- /generated:NAME -->` block of `doc` with its current content. */
export function renderGeneratedBlocks(doc: string, blocks: Record<string, () => string> = protocolBlocks): string {
  return doc.replace(/<!-- generated:([\w-]+) -->[\s\S]*?<!-- \/generated:\1 -->/g, (whole, name: string) => {
    const gen = blocks[name];
    return gen ? `<!-- generated:${name} -->\n${gen()}\n<!-- /generated:${name} -->` : whole;
  });
}
