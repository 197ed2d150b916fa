// The OpenAPI judge compiles a response schema once however many routes repeat it. What it says about a
// response must not depend on that: the same problem, the same JSON pointer and the same schema path as a
// judge that compiled the route's own schema.
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/kit/check.js';
import { openApiJudge } from '../../src/kit/openapi.js';
import { openApiDocument, readTools } from '../../src/protocol/openapi.js';
import { shippedTarget } from '../../src/runner/target-file.js';

type Doc = { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };

function exchange(method: string, path: string, status: number, json: unknown): Exchange {
  return {
    request: { method: method.toUpperCase(), path, headers: {} },
    response: { status, headers: {}, body: JSON.stringify(json), json },
    durationMs: 1,
  } as unknown as Exchange;
}

describe('openApiJudge', () => {
  it('judges every route of the binding\'s description as a judge of that route alone would', () => {
    const doc = openApiDocument({ tools: readTools(shippedTarget('demo').reads), version: 'run' }) as unknown as Doc;
    const shared = openApiJudge(doc);
    // Every documented route and status, with bodies that break the success branch, the error branch and a
    // referenced component: the first route of each schema compiles it, the others reuse it.
    const bodies = [{ ok: 5 }, { ok: true, code: 'common.success', data: 5 }, { ok: false, code: 7, message: 'm' }];
    let judged = 0;
    for (const [template, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const key of Object.keys(op.responses ?? {})) {
          const status = Number(key.replace(/XX$/i, '00'));
          if (!Number.isInteger(status)) continue;
          for (const body of bodies) {
            const ex = exchange(method, template.replace(/\{[^}]+\}/g, 'x1'), status, body);
            const alone = openApiJudge(doc)(ex);
            expect(shared(ex), `${method} ${template} ${key}`).toEqual(alone);
            if (alone) judged++;
          }
        }
      }
    }
    // The comparison covered findings, not only silence.
    expect(judged).toBeGreaterThan(100);
  });

  it('is made once per document: an equal document gets the same judge, another document its own', () => {
    const doc = () => openApiDocument({ tools: readTools(shippedTarget('demo').reads), version: 'run' });
    const first = openApiJudge(doc());
    expect(openApiJudge(doc())).toBe(first);
    expect(openApiJudge({ ...doc(), info: { title: 'another', version: '1' } })).not.toBe(first);
  });
});

