import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DOC_BLOCKS, gateConfigSchemaText, releasesText, renderDoc } from '../src/cli/docs.js';
import { gateConfigSchema } from '../src/gate/config.js';
import { shippedYamlText } from '../src/kit/lazy.js';
import { REQUIREMENTS } from '../src/protocol/requirements.js';
import { CLAUSES } from '../src/protocol/clauses.js';
import { AUDIT_EVENTS_HELD, AUDIT_TRIM_AT } from '../src/runtime/audit.js';
import { DEFAULT_STORE_LIMITS } from '../src/runtime/store.js';
import { SAME_PROCESS_TIMEOUT_MS } from '../src/runner/run.js';
import { DEFAULT_DEADLINES } from '../src/runner/runner.js';
import { RATE_LIMIT_WAIT_MAX_MS, RATE_LIMIT_WAITS } from '../src/runner/context.js';
import { MAX_PAGES } from '../src/kit/helpers.js';
import { YIELD_EVERY } from '../src/kit/fuzz-driver/driver.js';

/** A docs page with a generated table that lists each of `ids` exactly once with its anchor (links point at them). */
function listsEachOnce(page: string, ids: readonly string[]): void {
  it(`docs/${page} lists every id exactly once in its table`, () => {
    const doc = readFileSync(new URL(`../docs/${page}`, import.meta.url), 'utf8');
    for (const id of ids) expect(doc.split(`| <a id="${id.toLowerCase()}"></a>${id} |`).length - 1, id).toBe(1);
  });
}

describe('generated tables', () => {
  listsEachOnce('protocol.md', REQUIREMENTS.map((r) => r.id));
  listsEachOnce('coverage.md', CLAUSES.map((c) => c.id));
});

describe('README.md', () => {
  it("states the embedded run's MCP call bound and the check deadline as the code sets them", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain(`without \`--timeout\` its MCP calls are bounded at ${SAME_PROCESS_TIMEOUT_MS / 1000} s instead`);
    expect(readme).toContain(`a hang still ends within the check's ${DEFAULT_DEADLINES.normalMs / 1000} s`);
    expect(SAME_PROCESS_TIMEOUT_MS).toBeLessThan(DEFAULT_DEADLINES.normalMs);
  });
});

describe('README.md, fuzzing', () => {
  it('states how often a property gives the event loop its turn as the code does', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain(`a property gives the event loop its turn every ${YIELD_EVERY} cases`);
  });
});

describe('docs/targets.md', () => {
  it("states the read-back's page bound and its rate-limit waits as the code sets them", () => {
    const doc = readFileSync(new URL('../docs/targets.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    const words = ['none', 'one', 'two', 'three', 'four', 'five'];
    expect(doc).toContain(`while \`data.hasMore\` is true, at most ${MAX_PAGES} pages`);
    expect(doc).toContain(`at most ${RATE_LIMIT_WAIT_MAX_MS / 1000} s, ${words[RATE_LIMIT_WAITS]} waits a check — and read again, each wait in the check's notes; a ${['', 'second', 'third', 'fourth', 'fifth'][RATE_LIMIT_WAITS]} 429 blocks the check`);
    expect(doc).toContain(`A listing longer than ${MAX_PAGES} pages is an error of the run`);
  });
});

describe('docs/runtime-limits.md', () => {
  it("states the runtime's default caps as the code sets them", () => {
    const doc = readFileSync(new URL('../docs/runtime-limits.md', import.meta.url), 'utf8');
    // Figures as the page writes them: 10 000.
    const n = (x: number) => String(x).replace(/\B(?=(\d{3})+$)/g, ' ');
    const row = (store: string) => doc.split('\n').find((l) => l.startsWith(`| ${store} |`))?.split('|').slice(2, 5).map((c) => c.trim());
    const L = DEFAULT_STORE_LIMITS;
    expect(row('drafts')).toEqual([n(L.appDrafts), n(L.tenantDrafts), n(L.drafts)]);
    expect(row('idempotency records')).toEqual([n(L.appIdempotency), n(L.tenantIdempotency), n(L.idempotency)]);
    expect(row('live preflights')).toEqual([n(L.appPreflights), n(L.tenantPreflights), n(L.preflights)]);
    expect(row('apps')).toEqual(['—', '—', n(L.apps)]);
    expect(row('keys')).toEqual(['—', '—', n(L.keys)]);
    expect(row('audit events in memory')).toEqual(['—', '—', `${n(AUDIT_EVENTS_HELD)} (trimmed back to it in batches, on reaching ${n(AUDIT_EVENTS_HELD * AUDIT_TRIM_AT)})`]);
    expect(doc).toContain(`The **retention is ${L.retentionMs / 3_600_000} hours**`);
  });
});

describe('requirement basis', () => {
  it('every requirement names the section of the brief it rests on (the MCP binding\'s rules: a row of docs/mcp-binding.md that exists)', () => {
    const binding = readFileSync(new URL('../docs/mcp-binding.md', import.meta.url), 'utf8');
    for (const r of REQUIREMENTS) {
      if (r.id.startsWith('GATE-')) continue;
      const row = /^docs\/mcp-binding\.md ([A-Z]\d+): /.exec(r.basis);
      if (row) expect(binding, `${r.id}: row ${row[1]}`).toContain(`| ${row[1]} |`);
      else expect(r.basis, r.id).toMatch(/§\d+/);
    }
  });
});

describe('generated docs and schema', () => {
  const read = (rel: string) => readFileSync(new URL(`../${rel}`, import.meta.url), 'utf8');

  it.each(Object.keys(DOC_BLOCKS))('%s has current generated blocks (run `npm run docs`)', (rel) => {
    const doc = read(rel);
    for (const name of Object.keys(DOC_BLOCKS[rel]!)) expect(doc, name).toContain(`<!-- generated:${name} -->`);
    expect(renderDoc(rel, doc)).toBe(doc);
  });

  it('fixtures/schemas/gate-config.schema.json is current (run `npm run docs`)', () => {
    expect(read('fixtures/schemas/gate-config.schema.json')).toBe(gateConfigSchemaText());
  });

  it("profiles/releases.json holds this version's digests, as verify judges bundles by them (run `npm run docs`)", () => {
    expect(read('profiles/releases.json')).toBe(releasesText());
  });

  it('fixtures/compiled/shipped-yaml.json is current, so runs start without parsing YAML (run `npm run docs`)', () => {
    expect(read('fixtures/compiled/shipped-yaml.json')).toBe(shippedYamlText());
  });

  it("docs/ci.md's example gate configuration is valid against the schema", () => {
    const example = /```yaml\n(# openport-gate\.yaml\n[\s\S]*?)```/.exec(read('docs/ci.md'))?.[1];
    expect(example).toBeDefined();
    const validate = new Ajv({ allErrors: true, strict: false }).compile(gateConfigSchema());
    expect(validate(parseYaml(example!)), JSON.stringify(validate.errors)).toBe(true);
  });
});
