// The edge battery of the final checks (suites/env/battery.ts) is sent once a run, by the first of them to
// judge; every one of them judges it.
import { describe, expect, it } from 'vitest';
import { run } from '../support/suite.js';

const FINAL = ['ENV-002', 'ENV-003', 'ENV-004', 'ENV-005', 'ENV-010', 'ENV-011'];

describe('the edge battery', () => {
  it('is sent once a run, by one check, and every final check judges it', async () => {
    const sent: { check: string; key: string }[] = [];
    const report = await run({
      only: FINAL,
      seed: 3,
      onExchange: (check, ex) => {
        if (ex.request.headers['x-openport-conform-probe'] !== 'edge-battery') return;
        sent.push({ check, key: `${ex.request.method} ${ex.request.path} ${ex.request.headers.authorization ?? ''} ${ex.request.body ?? ''}` });
      },
    });
    expect(report.results.map((r) => `${r.id} ${r.status}`)).toEqual(FINAL.map((id) => `${id} pass`));
    expect(sent.length).toBeGreaterThan(10);
    expect(new Set(sent.map((s) => s.check)).size).toBe(1);
    expect(new Set(sent.map((s) => s.key)).size).toBe(sent.length);
    // Each judged the battery with the rest of the run: its note counts at least the battery's responses.
    for (const r of report.results) expect(Number(/(\d+) responses inspected/.exec(r.actual ?? '')?.[1]), r.id).toBeGreaterThanOrEqual(sent.length);
  });
});
