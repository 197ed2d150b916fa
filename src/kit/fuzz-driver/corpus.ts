/**
 * The fuzz corpus: shrunk counterexamples saved as JSON files. The package ships one (fuzz/corpus/), replayed by
 * FUZZ-008 on every run; `--corpus DIR` adds a directory of the operator's, which `fuzz --save-corpus DIR`
 * writes (never into the installed package: what a run replays must not depend on an earlier run). Requests
 * hold placeholders ($TOKEN, $APP), never a real token, so a corpus file is safe to commit.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../check.js';
import { makeDirs, PACKAGE_ROOT } from '../paths.js';

/** A request as generated: header values, path and body may contain the placeholders $TOKEN and $APP. */
export interface CorpusRequest {
  /** Which plane's credentials the request is sent with: agent requests carry only their own headers. */
  plane?: 'agent' | 'admin';
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface CorpusEntry {
  id: string;
  requirement: string;
  seed: number;
  path: string;
  request: CorpusRequest;
  note: string;
}

export const CORPUS_DIR = join(PACKAGE_ROOT, 'fuzz', 'corpus');

function isStringRecord(v: unknown): v is Record<string, string> {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

/** Validate one parsed corpus file; the error names the file and the field. */
export function parseCorpusEntry(raw: unknown, file: string): CorpusEntry {
  const e = raw as Partial<CorpusEntry> | null;
  const bad = (field: string) => new ToolError(`fuzz corpus ${file}: ${field} is missing or has the wrong type`, 2);
  if (!e || typeof e !== 'object') throw bad('the entry');
  if (typeof e.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(e.id)) throw bad('id (lower-case words joined by -)');
  if (typeof e.requirement !== 'string') throw bad('requirement');
  if (typeof e.seed !== 'number') throw bad('seed');
  if (typeof e.path !== 'string') throw bad('path');
  if (typeof e.note !== 'string') throw bad('note');
  const r = e.request as Partial<CorpusRequest> | undefined;
  if (!r || typeof r.method !== 'string' || typeof r.path !== 'string' || !r.path.startsWith('/')) throw bad('request.method/request.path');
  if (!isStringRecord(r.headers)) throw bad('request.headers');
  if (r.body !== undefined && typeof r.body !== 'string') throw bad('request.body (a raw string)');
  if (r.plane !== undefined && r.plane !== 'agent' && r.plane !== 'admin') throw bad('request.plane');
  return e as CorpusEntry;
}

/** A corpus entry with the file it was read from. */
export type LoadedCorpusEntry = CorpusEntry & { readonly file: string };

/**
 * Every entry of a corpus directory, sorted by file name so replay order is stable. The shipped corpus may be
 * absent; a directory the operator names (`required`) must be one (exit 2 otherwise).
 */
export function loadCorpus(dir = CORPUS_DIR, opts: { required?: boolean } = {}): LoadedCorpusEntry[] {
  if (opts.required && !(existsSync(dir) && statSync(dir).isDirectory())) throw new ToolError(`--corpus ${dir}: no such directory (give the directory fuzz --save-corpus wrote)`, 2);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      } catch (err) {
        throw new ToolError(`fuzz corpus ${join(dir, f)}: not valid JSON (${(err as Error).message})`, 2);
      }
      return { ...parseCorpusEntry(parsed, join(dir, f)), file: join(dir, f) };
    });
}

/** Write one entry as <id>.json in `dir`; returns the file path. An existing file of the same id is replaced. */
export function saveCorpusEntry(entry: CorpusEntry, dir: string): string {
  makeDirs(dir);
  const file = join(dir, `${entry.id}.json`);
  writeFileSync(file, `${JSON.stringify(entry, null, 2)}\n`);
  return file;
}

const sink = new AsyncLocalStorage<CorpusEntry[]>();

/** Run `fn` and collect every counterexample the fuzz checks inside it report (for --save-corpus). */
export async function captureCounterexamples<T>(fn: () => Promise<T>): Promise<{ result: T; entries: CorpusEntry[] }> {
  const entries: CorpusEntry[] = [];
  const result = await sink.run(entries, fn);
  return { result, entries };
}

/** Called by the driver when a property fails; a no-op unless a capture is active. */
export function reportCounterexample(entry: CorpusEntry): void {
  sink.getStore()?.push(entry);
}
