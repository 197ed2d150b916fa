/**
 * A long-lived server's resource history never decides the verdict. The checks that write read their rows back
 * through the target's `readBack` listing, which lists every row the server holds: here the reference runtime
 * holds HISTORY rows of earlier use in that listing (made in-process before the run, each approved so that it
 * exists), and the journal gets a cap the run's read-backs alone would overflow had they been kept whole.
 * The write checks and the journal-wide checks must pass and the journal must hold the run uncut, keeping each
 * read-back page as a digest, a size and a sample. Before, the pages filled the journal and ENV-003..005
 * ended in error (evidence incomplete).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, SAME_PROCESS_TIMEOUT_MS, verdictResults } from '../support/suite.js';
import { createRuntime, startHttpServer } from '../../src/runtime/index.js';
import type { Runtime } from '../../src/runtime/types.js';
import { ADMIN_BASE, AGENT_BASE } from '../../src/protocol/types.js';

const HISTORY = 1_500;
const JOURNAL_BYTES = 3 * 1024 * 1024;

/** HISTORY transactions in ledger_main, as earlier use of the server would have left them. */
async function fill(rt: Runtime): Promise<void> {
  const agent = { authorization: `Bearer ${rt.bootstrap.agentToken}`, 'content-type': 'application/json' };
  const admin = { ...rt.adminHeaders, 'content-type': 'application/json' };
  for (let i = 0; i < HISTORY; i++) {
    const payload = { ledgerId: 'ledger_main', kind: 'expense', title: `history row ${i} of an earlier day of use`, amount_home: 1, notes: 'kept by the server since' };
    // One address per 500 rows: the history is not limited by the run's rate.
    const drafted = await rt.handle({ method: 'POST', path: `${AGENT_BASE}/actions`, headers: agent, body: JSON.stringify({ action: 'transaction.create', payload }), clientIp: `127.0.1.${Math.floor(i / 500)}` });
    if (drafted.status !== 200) throw new Error(`create: HTTP ${drafted.status} ${drafted.body}`);
    const id = (JSON.parse(drafted.body) as { data: { draft: { id: string } } }).data.draft.id;
    const approved = await rt.handle({ method: 'POST', path: `${ADMIN_BASE}/drafts/${id}/approve`, headers: admin, body: '{}', clientIp: '127.0.0.9' });
    if (approved.status !== 200) throw new Error(`approve: HTTP ${approved.status} ${approved.body}`);
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'openport-readback-history-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`a server whose read-back listing holds ${HISTORY} rows of earlier use`, () => {
  it('the write checks and ENV-003..005 pass, and the journal holds the run uncut', async () => {
    const rt = createRuntime({ rateLimit: { limit: 1_000, windowMs: 1_000 } });
    await fill(rt);
    const served = { bytes: 0, pages: 0 };
    const counting: Runtime = {
      ...rt,
      async handle(req) {
        const res = await rt.handle(req);
        if (req.method === 'GET' && req.path.startsWith(`${AGENT_BASE}/transactions?ledgerId=ledger_main&pageSize=200`)) {
          served.bytes += res.body.length;
          served.pages++;
        }
        return res;
      },
    };
    const server = await startHttpServer(counting);
    try {
      const only = ['IDEM-002', 'IDEM-003', 'WRITE-001', 'WRITE-002', 'AUTOEXEC-001', 'ENV-003', 'ENV-004', 'ENV-005'];
      const report = await run({
        url: server.url, adminHeaders: rt.adminHeaders, token: rt.bootstrap.agentToken, safety: 'load', profile: 'state-witness', seed: 3, only,
        timeoutMs: SAME_PROCESS_TIMEOUT_MS,
        journal: { file: join(dir, 'journal.jsonl'), maxBytes: JOURNAL_BYTES },
      });
      expect(verdictResults(report).filter((r) => r.status !== 'pass').map((r) => `${r.id} ${r.status}: ${r.message}`)).toEqual([]);
      expect(report.results).toHaveLength(only.length);
      expect(report.evidence?.journal.truncated).toBe(false);
      // The read-back pages alone would have overflowed the journal had it kept them whole.
      expect(served.bytes, `${served.pages} read-back pages`).toBeGreaterThan(JOURNAL_BYTES);
    } finally {
      await server.close();
      await rt.close();
    }
  }, 170_000);
});
