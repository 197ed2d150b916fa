// The official MCP conformance suite's non-applicable server scenarios: the baseline the script hands the
// suite (fixtures/mcp-conformance/expected-failures.yaml) and the table in docs/mcp-binding.md are one list,
// and the scenarios the issue requires to pass are in neither.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ensureMcpConformance } from '../../scripts/ensure-mcp-conformance.mjs';

const root = new URL('../../', import.meta.url);
const REQUIRED_TO_PASS = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'];

describe('MCP conformance baseline', () => {
  const baseline = (parse(readFileSync(new URL('fixtures/mcp-conformance/expected-failures.yaml', root), 'utf8')) as { server: string[] }).server;
  const doc = readFileSync(new URL('docs/mcp-binding.md', root), 'utf8');
  const section = doc.slice(doc.indexOf('## The official MCP conformance suite'));
  const documented = [...section.matchAll(/^\| ([a-z0-9-]+) \| (.+) \|$/gm)].filter((m) => m[1] !== 'scenario').map((m) => ({ scenario: m[1]!, why: m[2]! }));

  it('lists the same scenarios in the baseline and the docs, each with a reason', () => {
    expect(documented.map((d) => d.scenario)).toEqual(baseline);
    for (const d of documented) expect(d.why.length, d.scenario).toBeGreaterThan(5);
    expect(new Set(baseline).size).toBe(baseline.length);
  });

  it('never excuses the scenarios that must pass', () => {
    for (const s of REQUIRED_TO_PASS) {
      expect(baseline).not.toContain(s);
      expect(section).toContain(s);
    }
  });
});

describe('the official MCP conformance suite against serve --mcp', () => {
  // Installs the current Node LTS and the pinned suite on first use (npm ci from the lockfiles under tools/), then runs
  // every server scenario through the loopback proxy that adds the bearer header.
  it('passes server-initialize, ping, tools-list and dns-rebinding-protection; every other failure is a listed one', async () => {
    const { node, suite } = ensureMcpConformance() as { node: string; suite: string };
    const out = await new Promise<{ code: number; text: string }>((done) => {
      execFile(process.execPath, [new URL('scripts/mcp-conformance.mjs', root).pathname], { env: { ...process.env, NODE22: node, MCP_CONFORMANCE: suite, NO_COLOR: '1' }, timeout: 120_000, maxBuffer: 8 << 20 },
        (err, stdout, stderr) => done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, text: stdout + stderr }));
    });
    expect(out.text).toMatch(/Baseline check passed/);
    for (const s of REQUIRED_TO_PASS) expect(out.text, s).toMatch(new RegExp(`✓ ${s}: \\d+ passed, 0 failed`));
    expect(out.code).toBe(0);
  }, 420_000);
});
