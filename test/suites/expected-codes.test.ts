// A check's expectedCodes is what `explain` shows; the codes a check accepts must come from it, so the two
// cannot disagree.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explain } from '../../src/cli/explain.js';
import { isReasonCode } from '../../src/protocol/codes.js';
import { CHECKS } from '../support/suite.js';

const root = resolve(import.meta.dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The file that declares each check, by id. */
const fileOf = new Map<string, string>();
for (const file of tsFiles(join(root, 'suites'))) {
  for (const m of readFileSync(file, 'utf8').matchAll(/^\s+id: '([A-Z]+-\d{3})',$/gm)) fileOf.set(m[1]!, file);
}

/**
 * Reason codes a check's file spells as a whole string literal. A comparison with codeOf(…) picks a branch
 * (ABAC-004 retries with timestamps on a validation refusal), so it is not an answer the check accepts.
 */
function acceptedLiterals(text: string): string[] {
  const branches = text.replace(/codeOf\([^)]*\)\s*[!=]==\s*'[a-z_.]+'/g, '');
  return [...new Set([...branches.matchAll(/'([a-z]+\.[a-z_]+)'/g)].map((m) => m[1]!).filter(isReasonCode))];
}

describe('expected codes', () => {
  it('every code a check spells is in its expectedCodes', () => {
    const missing: string[] = [];
    for (const def of CHECKS) {
      const file = fileOf.get(def.id);
      expect(file, def.id).toBeDefined();
      for (const code of acceptedLiterals(readFileSync(file!, 'utf8'))) {
        if (!def.expectedCodes?.includes(code as never)) missing.push(`${def.id}: ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('explain WRITE-005 lists every code the check accepts: draft_not_found within the tenant, the tenant boundary across, a validation failure for an id never issued', () => {
    const text = explain('WRITE-005', CHECKS);
    const expects = text.split('\n').find((l) => l.startsWith('Expects:'));
    expect(expects).toBe('Expects:     agent.draft_not_found (404), agent.policy_denied (403), agent.not_found (404), common.validation (400/413/414/415/431)');
    // And the reverse look-up names the check for each.
    for (const code of ['agent.draft_not_found', 'agent.policy_denied', 'agent.not_found', 'common.validation']) expect(explain(code, CHECKS), code).toContain('WRITE-005');
  });
});
