/**
 * The architecture checker: ARCHITECTURE.md's "Who may import whom" table is the one source of truth for the
 * allowed edges between layers, and the code's import edges are judged against it in both directions (an
 * edge the table forbids; an allowed edge nothing uses). Pure functions, so a test can feed them a synthetic
 * table and edge set and prove they bite.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Layer → the other layers it may import. */
export type AllowedEdges = Map<string, Set<string>>;

/** One import of one file whose target lies in another layer (or outside every layer). */
export interface ImportEdge {
  file: string;
  from: string;
  /** undefined: a project file outside every layer. */
  to: string | undefined;
  spec: string;
}

/** Where the layers live: src/<layer>/ for the rooms of src, and the top-level suites/ and fuzz/. */
export const TOP_LEVEL_LAYERS = ['suites', 'fuzz'] as const;

export function layerDir(root: string, layer: string): string {
  return (TOP_LEVEL_LAYERS as readonly string[]).includes(layer) ? join(root, layer) : join(root, 'src', layer);
}

/** The layer a file belongs to, or undefined outside src/, suites/ and fuzz/. */
export function layerOf(root: string, file: string): string | undefined {
  const rel = relative(root, file).split(/[\\/]/);
  if (rel[0] === 'src' && rel.length > 2) return rel[1];
  if ((TOP_LEVEL_LAYERS as readonly string[]).includes(rel[0]!)) return rel[0];
  return undefined;
}

export function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** The layers that exist on disk: every directory of src/ holding a .ts file, plus suites/ and fuzz/. */
export function existingLayers(root: string): string[] {
  const rooms = readdirSync(join(root, 'src')).filter((n) => statSync(join(root, 'src', n)).isDirectory());
  return [...rooms, ...TOP_LEVEL_LAYERS].filter((l) => tsFiles(layerDir(root, l)).length > 0).sort();
}

/** Split a table cell on the commas outside parentheses: "a, b (x, y)" → ["a", "b (x, y)"]. */
function splitOutsideParens(cell: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of cell) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * The "Who may import whom" table: rows `| layer | may import |`, where the allowed layers are the
 * comma-separated names before any parenthesised note; the single word `nothing` means no other layer.
 * Throws on a row it cannot read, so a reworded table fails loudly instead of allowing everything.
 */
export function parseAllowedTable(markdown: string): AllowedEdges {
  const section = /^## Who may import whom\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(markdown);
  if (!section) throw new Error('ARCHITECTURE.md has no "## Who may import whom" section');
  const rows = section[1]!.split('\n').filter((l) => l.startsWith('|'));
  if (rows.length < 3 || !/^\|\s*layer\s*\|\s*may import\s*\|$/.test(rows[0]!)) throw new Error('the "Who may import whom" table must start with the header | layer | may import |');
  const allowed: AllowedEdges = new Map();
  for (const row of rows.slice(2)) {
    const cells = /^\|\s*([a-z-]+)\s*\|(.*)\|$/.exec(row);
    if (!cells) throw new Error(`cannot read the row ${JSON.stringify(row)}: expected | layer | may import |`);
    const layer = cells[1]!;
    if (allowed.has(layer)) throw new Error(`layer ${layer} has two rows`);
    const names = splitOutsideParens(cells[2]!).map((item) => {
      const m = /^([a-z-]+)(\s*\(.*\))?$/.exec(item);
      if (!m) throw new Error(`row ${layer}: cannot read ${JSON.stringify(item)}: expected a layer name, optionally followed by a note in parentheses`);
      return m[1]!;
    });
    allowed.set(layer, new Set(names.length === 1 && names[0] === 'nothing' ? [] : names));
  }
  return allowed;
}

/** Every import (static, dynamic, type-only, `export … from`) of `files` that leaves its file's layer. */
export function importEdges(root: string, files: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const from = layerOf(root, file);
    if (from === undefined) continue;
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const to = layerOf(root, resolve(dirname(file), spec));
      if (to !== from) edges.push({ file: relative(root, file), from, to, spec });
    }
  }
  return edges;
}

/** The module specifiers a source imports, read by the TypeScript scanner rather than a regular expression. */
export function importSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

export interface ArchitectureVerdict {
  /** An import the table does not allow, or one reaching outside every layer. */
  forbidden: string[];
  /** A row (or an allowed name in a row) naming a layer that does not exist, or an existing layer without a row. */
  unknownLayers: string[];
  /** An allowed edge no import uses: the table says more than the code. */
  unused: string[];
}

export function judgeArchitecture(allowed: AllowedEdges, edges: readonly ImportEdge[], layers: readonly string[]): ArchitectureVerdict {
  const exists = new Set(layers);
  const verdict: ArchitectureVerdict = { forbidden: [], unknownLayers: [], unused: [] };
  for (const [layer, targets] of allowed) {
    if (!exists.has(layer)) verdict.unknownLayers.push(`row ${layer}: no such layer`);
    for (const t of targets) if (!exists.has(t)) verdict.unknownLayers.push(`row ${layer}: may import ${t}, no such layer`);
  }
  for (const layer of layers) if (!allowed.has(layer)) verdict.unknownLayers.push(`layer ${layer} has no row in the table`);
  const used = new Set<string>();
  for (const e of edges) {
    if (e.to === undefined) verdict.forbidden.push(`${e.file} (${e.from}) imports ${e.spec}, outside every layer`);
    else if (!allowed.get(e.from)?.has(e.to)) verdict.forbidden.push(`${e.file} (${e.from}) imports ${e.spec} (${e.to})`);
    else used.add(`${e.from} → ${e.to}`);
  }
  for (const [layer, targets] of allowed) {
    for (const t of targets) if (exists.has(layer) && exists.has(t) && !used.has(`${layer} → ${t}`)) verdict.unused.push(`${layer} → ${t}: allowed, but no import uses it`);
  }
  return verdict;
}
