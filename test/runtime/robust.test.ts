import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGENT_BASE, isReasonCode, statusesFor, wrongMethodOnKnownRoute } from '../../src/protocol/index.js';
import { harness } from './helpers.js';

const PATHS = ['/manifest', '/ledgers', '/transactions', '/preflight', '/actions', '/drafts/drf_x', '/drafts/%E0%A4%A', '/nope'];

describe('robustness of the handler under generated input', () => {
  it('never answers 5xx, always a registry code at its status, never echoes the token', async () => {
    const h = harness();
    const body = fc.oneof(
      fc.json(),
      fc.string(),
      fc.record({ action: fc.constantFrom('transaction.create', 'transaction.delete', 'transactions.export_csv', '__proto__', 'x'), payload: fc.anything() }, { requiredKeys: [] }),
      fc.record({ action: fc.constant('transaction.update'), payload: fc.dictionary(fc.constantFrom('transactionId', 'title', 'amount_home', 'date', 'kind', 'notes'), fc.jsonValue()) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE'),
        fc.constantFrom(...PATHS),
        fc.string({ maxLength: 40 }),
        body,
        fc.boolean(),
        async (method, path, query, b, withToken) => {
          const r = await h.agent(method, `${path}?${encodeURIComponent(query)}=${query}`, {
            token: withToken ? h.token : null,
            rawBody: typeof b === 'string' ? b : JSON.stringify(b),
          });
          expect(r.status).toBeLessThan(500);
          expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
          expect(isReasonCode(r.json.code)).toBe(true);
          // 405 is the answer to a wrong method on a known route only (the read routes are the demo's).
          const wrongMethod = wrongMethodOnKnownRoute(method, `${AGENT_BASE}${path}`, [`${AGENT_BASE}/ledgers`, `${AGENT_BASE}/transactions`]);
          if (!r.json.ok) expect(statusesFor(r.json.code, { wrongMethod })).toContain(r.status);
          expect(JSON.stringify(r.json)).not.toContain(h.token);
        },
      ),
      { seed: 20260226, numRuns: 400 },
    );
  });
});
