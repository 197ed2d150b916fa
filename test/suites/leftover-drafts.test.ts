/**
 * A check that drafts on the target's own resources leaves nothing pending for a reviewer to approve later:
 * ADM-002 sends a draft of every write sample (on the existing resource) past the rate limit, and against a
 * server that lets them through (the fault adm-side-effects) it fails and rejects every draft they made;
 * ADM-001's actions requests past the limit name no payload, so they draft nothing even when admitted.
 */
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/kit/check.js';
import { run } from '../support/suite.js';

describe('drafts the rate-limit checks provoke', () => {
  it.each([['ADM-002', 'adm-side-effects'], ['ADM-001', 'adm-limit-per-route']] as const)('%s against %s: fails, and every draft made is rejected by the end', async (id, fault) => {
    const seen: Exchange[] = [];
    const report = await run({ domain: 'helpdesk', faults: [fault], only: [id], seed: 7, onExchange: (_check, ex) => seen.push(ex) });
    expect(report.results.find((r) => r.id === id)?.status).toBe('fail');
    // Drafts the agent was told of, and drafts an admin listing shows pending (a refused request's side effect).
    const drafted = seen.flatMap((ex) => {
      const data = (ex.response.json as { data?: { status?: unknown; draft?: { id?: unknown }; items?: { id?: unknown; status?: unknown }[] } } | undefined)?.data;
      if (ex.request.path.endsWith('/actions') && data?.status === 'draft' && typeof data.draft?.id === 'string') return [data.draft.id];
      if (/\/agent-admin\/v1\/drafts(\?|$)/.test(ex.request.path)) return (data?.items ?? []).filter((d) => d.status === 'draft').map((d) => String(d.id));
      return [];
    });
    if (id === 'ADM-002') expect(drafted.length).toBeGreaterThan(0);
    const rejected = new Set(seen.filter((ex) => /\/drafts\/[^/]+\/reject$/.test(ex.request.path)).map((ex) => ex.request.path.split('/').at(-2)));
    expect(drafted.filter((d) => !rejected.has(d))).toEqual([]);
  });
});
