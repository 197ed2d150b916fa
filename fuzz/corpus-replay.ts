/**
 * FUZZ-008: every saved counterexample of the shipped corpus (fuzz/corpus/) and of the operator's `--corpus DIR`
 * is replayed as a regression case. Each must now produce a well-formed, non-5xx, non-leaking envelope — the
 * three request oracles of FUZZ-001..003.
 */
import { Finding, Skip, type CheckContext } from '../src/kit/check.js';
import { relative } from 'node:path';
import { CORPUS_DIR, loadCorpus, type LoadedCorpusEntry } from '../src/kit/fuzz-driver/corpus.js';
import { FuzzIdentity } from './identity.js';
import { no5xx, noLeak, wellFormed } from './properties.js';
import { showRequest } from './requests.js';

/** The shipped cases, then those of --corpus DIR (a file read once, should DIR be the shipped corpus itself). */
function corpusOf(ctx: CheckContext): LoadedCorpusEntry[] {
  const shipped = loadCorpus();
  const own = ctx.fuzz.corpus === undefined ? [] : loadCorpus(ctx.fuzz.corpus, { required: true });
  const files = new Set(shipped.map((e) => e.file));
  return [...shipped, ...own.filter((e) => !files.has(e.file))];
}

/** How a finding names a case's file: the shipped corpus by its place in the package, the operator's by its path. */
const caseFile = (e: LoadedCorpusEntry) => (e.file.startsWith(CORPUS_DIR) ? `fuzz/corpus/${relative(CORPUS_DIR, e.file)}` : relative(process.cwd(), e.file) || e.file);

export async function replayCorpus(ctx: CheckContext, entries: readonly LoadedCorpusEntry[] = corpusOf(ctx)): Promise<void> {
  const id = await FuzzIdentity.create(ctx, { name: 'fuzz-corpus' });
  let replayed = 0;
  const adminCases: string[] = [];
  const overBudget: string[] = [];
  for (const entry of entries) {
    if (entry.request.plane === 'admin' && !id.persona) {
      adminCases.push(entry.id);
      continue;
    }
    const ex = await id.send(entry.request);
    if (!ex) {
      overBudget.push(entry.id);
      continue;
    }
    replayed++;
    try {
      for (const oracle of [no5xx, wellFormed, noLeak]) oracle(ex, entry.request, ctx);
    } catch (err) {
      if (!(err instanceof Finding)) throw err;
      throw err.restated({
        message: `corpus case ${entry.id} (${entry.requirement}) regressed: ${err.message}`,
        actual: `${err.actual}; case ${caseFile(entry)}: ${showRequest(entry.request)}`,
      });
    }
  }
  if (replayed === 0 && entries.length > 0) throw new Skip(`none of the ${entries.length} corpus cases could be sent`, "--admin-header 'Name: value' (admin-plane cases and a dedicated persona)");
  ctx.note(`${replayed} corpus cases replayed`);
  if (adminCases.length) ctx.partial(`${adminCases.length} admin-plane corpus case(s) not sent (${adminCases.join(', ')}): they need --admin-header at --safety draft or above`);
  if (overBudget.length) ctx.partial(`${overBudget.length} corpus case(s) not sent (${overBudget.join(', ')}): the run token's share of the rate limit was used up`);
}
