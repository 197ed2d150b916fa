/**
 * FUZZ-008: every saved counterexample in fuzz/corpus/ is replayed as a regression case. Each must now
 * produce a well-formed, non-5xx, non-leaking envelope — the three request oracles of FUZZ-001..003.
 */
import { Finding, Skip, type CheckContext } from '../src/kit/check.js';
import { loadCorpus, type CorpusEntry } from '../src/kit/fuzz-driver/corpus.js';
import { FuzzIdentity } from './identity.js';
import { no5xx, noLeak, wellFormed } from './properties.js';
import { showRequest } from './requests.js';

export async function replayCorpus(ctx: CheckContext, entries: readonly CorpusEntry[] = loadCorpus()): Promise<void> {
  const id = await FuzzIdentity.create(ctx, { name: 'fuzz-corpus' });
  let replayed = 0;
  const skipped: string[] = [];
  for (const entry of entries) {
    if (entry.request.plane === 'admin' && !id.persona) {
      skipped.push(entry.id);
      continue;
    }
    const ex = await id.send(entry.request);
    if (!ex) {
      skipped.push(entry.id);
      continue;
    }
    replayed++;
    try {
      for (const oracle of [no5xx, wellFormed, noLeak]) oracle(ex, entry.request, ctx);
    } catch (err) {
      if (!(err instanceof Finding)) throw err;
      throw err.restated({
        message: `corpus case ${entry.id} (${entry.requirement}) regressed: ${err.message}`,
        actual: `${err.actual}; case fuzz/corpus/${entry.id}.json: ${showRequest(entry.request)}`,
      });
    }
  }
  if (replayed === 0 && entries.length > 0) throw new Skip(`none of the ${entries.length} corpus cases could be sent`, "--admin-header 'Name: value' (admin-plane cases and a dedicated persona)");
  ctx.note(`${replayed} corpus cases replayed${skipped.length ? `; not sent: ${skipped.join(', ')} (admin plane or token budget unavailable)` : ''}`);
}
