import { describe, expect, it } from 'vitest';
import { CLAUSES, clause } from '../../src/protocol/clauses.js';
import { AREAS, REQUIREMENTS, hasRequirement } from '../../src/protocol/requirements.js';

/**
 * Requirements resting on review practice the project adds rather than on a sentence of the brief (each
 * basis says so), so no clause names them. Any other unnamed requirement would judge nothing of the brief.
 */
// ENV-010 judges a server by the OpenAPI document its vendor publishes (run --openapi), which the brief does not make normative.
// ENV-011 names a content coding no request asked for; the brief says nothing of content codings.
const PROJECT_LEVEL = ['ENV-010', 'ENV-011', 'GATE-004', 'GATE-005', 'GATE-006'];

/** AREA.subject[.detail]: dot-separated words of letters, digits, '_' and '-'. */
const ID = /^([A-Z]+)((?:\.[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*)+)$/;

const sectionNumber = (s: string) => Number(s.slice(1));

describe('clause table', () => {
  it('has unique ids that name a requirement area and never a position', () => {
    expect(new Set(CLAUSES.map((c) => c.id)).size).toBe(CLAUSES.length);
    for (const c of CLAUSES) {
      const m = ID.exec(c.id);
      expect(m, c.id).not.toBeNull();
      expect(AREAS as readonly string[], c.id).toContain(m![1]);
      // A bare number as a segment reads as a position (h2spec's case numbers), not as a subject.
      for (const segment of c.id.split('.').slice(1)) expect(segment, c.id).not.toMatch(/^\d+$/);
    }
  });

  it('follows the order of the brief, each row citing a section of it; the MCP binding\'s rows (docs/mcp-binding.md) last', () => {
    const brief = CLAUSES.filter((c) => c.section !== 'MCP');
    for (const c of brief) expect(c.section, c.id).toMatch(/^§([1-9]|1[0-2])$/);
    for (const c of CLAUSES.filter((x) => x.section === 'MCP')) expect(c, c.id).toMatchObject({ id: expect.stringMatching(/^MCP\./), bindings: ['mcp'] });
    expect(CLAUSES.slice(0, brief.length)).toEqual(brief);
    const order = brief.map((c) => sectionNumber(c.section));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('quotes a short passage, free of the markup the comparison with the brief drops', () => {
    // scripts/check-brief-quotes.mjs compares quotes with the brief minus backticks and double quotes.
    for (const c of CLAUSES) {
      expect(c.quote.length, c.id).toBeGreaterThan(0);
      expect(c.quote.length, c.id).toBeLessThanOrEqual(140);
      expect(c.quote, c.id).toBe(c.quote.trim());
      expect(c.quote, c.id).not.toMatch(/[`"]|\s{2}/);
    }
  });

  it('is SHOULD exactly where its words say should or recommended', () => {
    for (const c of CLAUSES) {
      expect(['MUST', 'SHOULD'], c.id).toContain(c.level);
      expect(c.level === 'SHOULD', c.id).toBe(/\bSHOULD\b|recommended/.test(c.quote));
    }
  });

  it('confines a clause to one binding only by saying so: the MCP binding\'s own rules to MCP, others to HTTP', () => {
    for (const c of CLAUSES) if (c.bindings) expect(c.bindings, c.id).toEqual([c.section === 'MCP' ? 'mcp' : 'http']);
  });

  it('names only existing requirements, each at most once per clause', () => {
    for (const c of CLAUSES) {
      for (const id of c.requirements) expect(hasRequirement(id), `${c.id} names ${id}`).toBe(true);
      expect(new Set(c.requirements).size, c.id).toBe(c.requirements.length);
    }
  });

  it('names every requirement in some clause, except the project-level ones, which none names', () => {
    const named = new Set(CLAUSES.flatMap((c) => c.requirements));
    const unnamed = REQUIREMENTS.map((r) => r.id).filter((id) => !named.has(id));
    expect(unnamed).toEqual(PROJECT_LEVEL);
  });

  it('puts a clause beyond a client\'s reach only with its reason, and then names no requirement', () => {
    const beyond = CLAUSES.filter((c) => c.beyondReach !== undefined);
    expect(beyond.length).toBeGreaterThan(0);
    for (const c of beyond) {
      expect(c.beyondReach!.length, c.id).toBeGreaterThan(20);
      expect(c.requirements, c.id).toEqual([]);
    }
  });

  it('finds each row by id and refuses an unknown one', () => {
    for (const c of CLAUSES) expect(clause(c.id)).toBe(c);
    expect(() => clause('ENV.no-such-clause')).toThrow(/unknown clause id ENV\.no-such-clause/);
  });
});
