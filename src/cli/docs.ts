/**
 * Every generated part of the docs, by file: docs/protocol.md's tables (src/report/docs.ts), README's table
 * of `run` options and docs/ci.md's table of gate config keys (from the option tables), and the gate config
 * schema in fixtures/schemas, and this version's
 * entry of profiles/releases.json. `npm run docs` writes them; test/docs.test.ts fails when one drifts. It sits in
 * the CLI because it draws on the runner, report and gate rooms at once.
 */
import { gateConfigSchema } from '../gate/config.js';
import { FAULTS } from '../runtime/faults/index.js';
import { VARIANTS } from '../runtime/variants/index.js';
import { coverageTable, protocolBlocks, renderGeneratedBlocks, toolErrorTable } from '../report/docs.js';
import { defaultShown, flagOf, optionsOf, type OptionDef } from '../runner/options.js';
import { GATE_CONFIG_KEYS } from './gate.js';
import { CLI_OPTIONS } from './options.js';

/** profiles/releases.json: the digests verify knows of each release, this version's from its files (src/evidence/releases.ts). */
export { releasesText } from '../evidence/releases.js';

/** Table-cell text: pipes escaped, and `<` so that `<out>` is not read as an HTML tag. */
const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/</g, '&lt;');
const code = (s: string) => `\`${s}\``;

/** How an option reads in a table: the flag with its choices or argument (and an integer's range). */
function flagCell(key: string, def: OptionDef<any>): string {
  const value = def.choices && !def.list ? def.choices.join('|') : def.arg;
  const range = def.range ? ` (${def.range.min}–${def.range.max})` : '';
  return `${code(`${flagOf(key)}${value ? ` ${value}` : ''}`).replace(/\|/g, '\\|')}${range}`;
}

/** README: the options of `run`, with their defaults and gate config keys. */
export function runOptionsTable(): string {
  const rows = optionsOf(CLI_OPTIONS, 'run').map(([key, def]) => {
    // The environment variable, unless the help already names it.
    const env = def.env && !def.help.includes(def.env) ? ` (or env ${code(def.env)})` : '';
    return `| ${flagCell(key, def)} | ${esc(def.help)}${env} | ${esc(defaultShown(def, 'run') ?? '')} | ${def.config ? code(def.config) : ''} |`;
  });
  return ['| flag | meaning | default | gate config key |', '|---|---|---|---|', ...rows].join('\n');
}

interface SchemaNode { type?: string; enum?: string[]; minimum?: number; maximum?: number; items?: SchemaNode; properties?: Record<string, SchemaNode>; description?: string; $ref?: string }

/** How a schema node's values read in a table. */
function schemaValue(node: SchemaNode): string {
  if (node.$ref) return '{ env } or { file }';
  if (node.enum) return node.enum.join(' \\| ');
  if (node.type === 'array') return `list of ${node.items?.enum ? node.items.enum.join(' \\| ') : node.items?.properties ? `{ ${Object.keys(node.items.properties).join(', ')} }` : (node.items?.type ?? 'string')}`;
  if (node.type === 'integer' && node.minimum !== undefined) return `integer ${node.minimum}–${node.maximum ?? '…'}`;
  return node.type ?? '';
}

/** docs/ci.md: every key of the gate config, the flag that overrides it, and what it means. */
export function gateConfigTable(): string {
  const flagOfConfig = new Map<string, string>();
  for (const [key, def] of Object.entries(CLI_OPTIONS) as [string, OptionDef<any>][]) if (def.config && !flagOfConfig.has(def.config)) flagOfConfig.set(def.config, flagOf(key));
  for (const [key, path] of Object.entries(GATE_CONFIG_KEYS)) flagOfConfig.set(path, flagOf(key));
  const rows: string[] = [];
  const walk = (props: Record<string, SchemaNode>, prefix: string) => {
    for (const [name, node] of Object.entries(props)) {
      const path = `${prefix}${name}`;
      if (node.type === 'object' && node.properties) walk(node.properties, `${path}.`);
      else rows.push(`| ${code(path)} | ${schemaValue(node)} | ${flagOfConfig.has(path) ? code(flagOfConfig.get(path)!) : ''} | ${esc(node.description ?? '')} |`);
    }
  };
  walk((gateConfigSchema() as { properties: Record<string, SchemaNode> }).properties, '');
  return ['| key | value | flag | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** The generated blocks of each docs file (paths relative to the package root). */
/** docs/protocol.md: the behaviours the brief leaves open that the runtime chooses one way and the suite accepts either way. */
export function choicesTable(): string {
  const rows = VARIANTS.map((v) => `| \`${v.name}\` | ${esc(v.description)} | ${esc(v.allowedBy)} |`);
  return ['| variant | the other behaviour, accepted by every check | why the brief allows it |', '|---|---|---|', ...rows].join('\n');
}

export const DOC_BLOCKS: Record<string, Record<string, () => string>> = {
  'docs/protocol.md': { ...protocolBlocks, choices: choicesTable },
  'docs/coverage.md': { clauses: () => coverageTable(FAULTS) },
  'README.md': { 'run-options': runOptionsTable, 'tool-errors': toolErrorTable },
  'docs/ci.md': { 'gate-config': gateConfigTable },
};

/** `doc` (the text of `file`) with its generated blocks current. */
export function renderDoc(file: string, doc: string): string {
  return renderGeneratedBlocks(doc, DOC_BLOCKS[file] ?? {});
}

/** fixtures/schemas/gate-config.schema.json as `npm run docs` writes it. */
export function gateConfigSchemaText(): string {
  return `${JSON.stringify(gateConfigSchema(), null, 2)}\n`;
}
