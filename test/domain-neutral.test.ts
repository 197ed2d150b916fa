// Targets are data: no check, fuzz property or engine module names the demo domain. Its names live only in
// its target description (fixtures/targets/demo.yaml), so a server of another domain is judged by the same code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const DEMO_NAMES: [string, RegExp][] = [
  ['ledger', /ledger/i],
  ['transaction', /transaction/i],
  ['org_demo', /org_demo/],
  ['is_deleted', /is_deleted/],
  // The demo rows' field, as a property or a key (an HTTP date, a date-time format are prose, and so is the HTTP
  // Date header of a response, headers.date).
  ['date', /(?<!headers)\.date\b|['"`]date['"`]|[{,]\s*date\s*:/],
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'corpus' ? [] : files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

describe('domain neutrality', () => {
  it('suites/, fuzz/, src/kit/ and src/runner/ never name the demo domain', () => {
    const hits: string[] = [];
    for (const dir of ['suites', 'fuzz', join('src', 'kit'), join('src', 'runner')]) {
      for (const f of files(join(root, dir))) {
        readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
          for (const [name, re] of DEMO_NAMES) if (re.test(line)) hits.push(`${relative(root, f)}:${i + 1}: ${name}: ${line.trim().slice(0, 100)}`);
        });
      }
    }
    expect(hits).toEqual([]);
  });

  it('the scan would see a demo name (it is not vacuous)', () => {
    expect(DEMO_NAMES.some(([, re]) => re.test("payload: { ledgerId: 'ledger_main' }"))).toBe(true);
    for (const demo of ['row.date', "it['date']", '{ date: 1 }']) expect(DEMO_NAMES[4][1].test(demo), demo).toBe(true);
    for (const prose of ['update validate Date.parse dates', 'an HTTP date, in seconds', "'date-time'"]) expect(DEMO_NAMES[4][1].test(prose), prose).toBe(false);
  });
});
