// ENV-002..005 judge every response of a run. Once the bounded in-memory sample has dropped some, they read
// the run's journal back (redacted, with the echoes it counted) — proven both ways — and without a
// complete journal they are an error, never a pass on part of the traffic.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialSecrets, runSecrets, type RunEnv } from '../../src/runner/context.js';
import { Journal } from '../../src/runner/journal.js';
import { PersonaRegistry } from '../../src/runner/personas.js';
import { runChecks } from '../../src/runner/runner.js';
import { resolveSelection } from '../../src/runner/selection.js';
import { shippedTarget } from '../../src/runner/target-file.js';
const DEMO_TARGET = shippedTarget('demo');
import { InProcessTransport } from '../../src/runner/transport.js';
import { createRuntime } from '../../src/runtime/index.js';
import { CHECKS } from '../../suites/index.js';

const dir = mkdtempSync(join(tmpdir(), 'opc-env-journal-'));
const IDS = ['ENV-002', 'ENV-003', 'ENV-004', 'ENV-005'];
let runs = 0;

async function judge(opts: { faults?: string[]; journal: boolean; maxBytes?: number }) {
  // Each check sends its own battery here (the sample never holds the last one): room for that.
  const runtime = createRuntime({ faults: opts.faults ?? [], rateLimit: { limit: 1000, windowMs: 1000 } });
  let env: RunEnv | undefined;
  const journal = new Journal(opts.journal ? join(dir, `run-${++runs}.jsonl`) : undefined, {
    target: 'embedded:', maxBytes: opts.maxBytes, secrets: () => (env ? runSecrets(env) : []), credentials: () => (env ? credentialSecrets(env) : []),
  });
  // A sample of 3 exchanges: every final check has to look past it.
  const transport = new InProcessTransport(runtime, { journal, sample: { count: 3, bytes: 1 << 30 } });
  env = { transport, target: structuredClone(DEMO_TARGET), token: runtime.bootstrap.agentToken, adminHeaders: runtime.adminHeaders, seed: 7, registry: new PersonaRegistry(), fuzz: { runs: 1, timeMs: 100 }, journal };
  const sel = resolveSelection({ profile: 'core', embedded: true, only: IDS, checks: CHECKS });
  const results = await runChecks(sel, { env, concurrency: 1 });
  await transport.close();
  journal.close();
  return Object.assign(Object.fromEntries(results.map((r) => [r.id, r])), { token: runtime.bootstrap.agentToken });
}

describe('final ENV checks past the in-memory sample', () => {
  it('read the journal back: the clean runtime passes all four', async () => {
    const r = await judge({ journal: true });
    for (const id of IDS) {
      expect(r[id]!.status, `${id}: ${r[id]!.message}`).toBe('pass');
      expect(r[id]!.actual).toMatch(/read back from the journal/);
    }
  });

  it('an echoed token is still caught from the redacted journal (ENV-005 fails, the token not shown)', async () => {
    const r = await judge({ journal: true, faults: ['fuzz-echo-token'] });
    expect(r['ENV-005']!.status).toBe('fail');
    expect(r['ENV-005']!.message).toMatch(/credential\(s\) echoed in the body/);
    expect(JSON.stringify(r['ENV-005'])).not.toContain(r.token);
  });

  it('without a journal, or with a cut one, they are an error: evidence incomplete', async () => {
    for (const opts of [{ journal: false }, { journal: true, maxBytes: 4096 }]) {
      const r = await judge(opts);
      for (const id of IDS) {
        expect(r[id]!.status, id).toBe('error');
        expect(r[id]!.message).toMatch(/^evidence incomplete: \d+ exchange\(s\)/);
      }
    }
  });
});
