/**
 * A long-lived server's audit history never decides the verdict. The reference runtime is served with
 * 6 MiB of audit history of other apps, seeded in-process and returned on every audit read whatever the
 * query (as the authors' runtime returns its whole log): AUDIT-004, FUZZ-001..003 and ENV-003..005 must pass,
 * and the journal must hold the run uncut, keeping each audit body as a digest, a size and a sample. Before,
 * a listing over 4 MiB ended those checks in error and filled the journal.
 *
 * What the run must show: one listing over the body cap of other answers (MAX_RESPONSE_BYTES), and the run's
 * listings together over the journal's cap; the test measures both. So the journal gets a 16 MiB cap (the
 * default is 64 MiB; the run reads the audit several times): a larger history would prove nothing more and
 * cost its size again on every read (sent, parsed, digested).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, SAME_PROCESS_TIMEOUT_MS, verdictResults } from '../support/suite.js';
import { createRuntime, startHttpServer } from '../../src/runtime/index.js';
import type { Runtime } from '../../src/runtime/types.js';
import { isAuditRoute } from '../../src/protocol/types.js';
import { MAX_RESPONSE_BYTES } from '../../src/runner/transport.js';

const HISTORY_BYTES = 6 * 1024 * 1024;
const JOURNAL_BYTES = 16 * 1024 * 1024;

/** Comma-separated audit events of apps the run never sees, about HISTORY_BYTES of JSON. */
function history(): string {
  const parts: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < HISTORY_BYTES; i++) {
    const id = i.toString(16).padStart(12, '0');
    const e = JSON.stringify({
      id: `aud_hist${id}`, app_id: `app_hist${(i % 97).toString(16).padStart(12, '0')}`, key_id: `key_hist${id}`, actor_user_id: 'usr_history', performed_by_user_id: null,
      action: 'agent.ledger.list', status: 'success', code: null, request_id: `req_${id}`, draft_id: null, execution_id: null, ip: '198.51.100.7',
      user_agent: 'history-client/1.0', details: { note: 'seeded history of a long-lived server' }, created_at: '2025-01-01T00:00:00.000Z',
    });
    parts.push(e);
    bytes += e.length + 1;
  }
  return parts.join(',');
}

/** The runtime with the seeded history after the live events of every audit listing; `served` counts their bytes. */
function withHistory(rt: Runtime, seeded: string, served: { bytes: number; reads: number }): Runtime {
  return {
    ...rt,
    async handle(req) {
      const res = await rt.handle(req);
      if (req.method !== 'GET' || !isAuditRoute(req.path) || res.status !== 200) return res;
      const at = res.body.lastIndexOf(']');
      const live = res.body.slice(0, at);
      const body = `${live}${live.endsWith('[') ? '' : ','}${seeded}${res.body.slice(at)}`;
      served.bytes += body.length;
      served.reads++;
      return { ...res, body };
    },
  };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'openport-audit-history-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a server with 6 MiB of audit history on every listing', () => {
  it('AUDIT-004, FUZZ-001..003 and ENV-003..005 pass, and the journal holds the run uncut', async () => {
    const rt = createRuntime();
    const seeded = history();
    // Every listing is over the cap of other answers: only the audit cap lets the checks read it.
    expect(seeded.length).toBeGreaterThan(MAX_RESPONSE_BYTES);
    const served = { bytes: 0, reads: 0 };
    const server = await startHttpServer(withHistory(rt, seeded, served));
    try {
      const report = await run({
        url: server.url, adminHeaders: rt.adminHeaders, token: rt.bootstrap.agentToken, safety: 'load', profile: 'state-witness', seed: 2,
        only: ['AUDIT-004', 'FUZZ-001', 'FUZZ-002', 'FUZZ-003', 'ENV-003', 'ENV-004', 'ENV-005'],
        fuzz: { runs: 15 },
        timeoutMs: SAME_PROCESS_TIMEOUT_MS,
        journal: { file: join(dir, 'journal.jsonl'), maxBytes: JOURNAL_BYTES },
      });
      expect(verdictResults(report).filter((r) => r.status !== 'pass').map((r) => `${r.id} ${r.status}: ${r.message}`)).toEqual([]);
      expect(report.results).toHaveLength(7);
      expect(report.evidence?.journal.truncated).toBe(false);
      expect(report.evidence!.journal.bytes).toBeLessThan(HISTORY_BYTES);
      // The listings alone would have overflowed the journal had it kept them whole.
      expect(served.bytes, `${served.reads} audit listings`).toBeGreaterThan(JOURNAL_BYTES);
    } finally {
      await server.close();
      await rt.close();
    }
  }, 170_000);
});
