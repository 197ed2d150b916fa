// The docs are product documentation: no issue numbers or to-do notes, every relative link and anchor leads
// somewhere, every count of the project's own parts is the current one, and every requirement's basis can be
// opened in public. Read over README.md, CONTRIBUTING.md, ARCHITECTURE.md and docs/*.md.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAUSES } from '../src/protocol/clauses.js';
import { REQUIREMENTS } from '../src/protocol/requirements.js';
import { citationsOf, SECTION_SOURCES, sectionsOf } from '../src/protocol/sources.js';
import { listProfiles } from '../src/runner/profiles.js';
import { FAULTS } from '../src/runtime/faults/index.js';
import { VARIANTS } from '../src/runtime/variants/index.js';
import { CHECKS } from './support/suite.js';

const root = resolve(import.meta.dirname, '..');
const pages = ['README.md', 'CONTRIBUTING.md', 'ARCHITECTURE.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const text = (page: string) => readFileSync(join(root, page), 'utf8');

/** Prose without fenced code blocks and inline code spans (where quoting a `TODO` reason is fine). */
function prose(doc: string): string {
  return doc.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/`/g, '').replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

function anchorsOf(doc: string): Set<string> {
  const out = new Set<string>();
  for (const m of doc.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} (.+)$/gm)) out.add(slug(m[1]!));
  for (const m of doc.matchAll(/<a id="([^"]+)"><\/a>/g)) out.add(m[1]!);
  return out;
}

describe('docs are product documentation', () => {
  it.each(pages)('%s names no issue, task or pull request number and holds no to-do note', (page) => {
    const p = prose(text(page));
    expect(p).not.toMatch(/\b(?:issues?|tasks?|pull requests?|PRs?)\s+#?\d+/i);
    expect(p).not.toMatch(/(?<![\w-])#\d+\b/);
    expect(p).not.toMatch(/\b(?:TODO|FIXME|XXX)\b/);
  });

  it.each(pages)('%s: the workflow recipes name real actions, no placeholder owner', (page) => {
    // A `uses:` line is either a published action (owner/name@ref of GitHub's own actions) or a path in the
    // workspace; OWNER/…, <your-org>/… and the like do not run when pasted.
    for (const m of text(page).matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)/gm)) {
      expect(m[1], `${page}: uses: ${m[1]}`).toMatch(/^(?:\.\/[\w./-]+|(?:actions|github)\/[\w.-]+(?:\/[\w.-]+)*@v\d+)$/);
    }
  });

  it.each(pages)('%s: every relative link leads to a file, and every anchor to a heading or an id there', (page) => {
    const doc = text(page);
    const links = [...doc.replace(/^```[\s\S]*?^```/gm, '').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
    for (const link of links) {
      if (/^[a-z]+:/i.test(link)) continue;
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path === '' ? join(root, page) : resolve(dirname(join(root, page)), path);
      expect(existsSync(target), `${page}: ${link}`).toBe(true);
      if (anchor && target.endsWith('.md')) expect(anchorsOf(readFileSync(target, 'utf8')).has(anchor), `${page}: ${link}`).toBe(true);
    }
  });
});

describe('counts in the docs are the current ones', () => {
  const profileSizes = listProfiles().map((p) => p.requirements.length);
  const counts: Record<string, number[]> = {
    clauses: [CLAUSES.length],
    faults: [FAULTS.length],
    variants: [VARIANTS.length],
    requirements: [REQUIREMENTS.length, ...profileSizes],
    checks: [CHECKS.length, ...profileSizes],
  };

  it.each(pages)('%s states the current number of clauses, faults, variants, requirements and checks', (page) => {
    const doc = text(page);
    for (const m of doc.matchAll(/\b(\d+) (clauses|faults|variants|requirements|checks)\b(?:: .*?(\d+) held back)?/g)) {
      const [whole, n, noun, heldBack] = m as unknown as [string, string, string, string | undefined];
      // "15 checks: … 29 held back" is a run of part of a profile: the two together are its size.
      const stated = Number(n) + (heldBack ? Number(heldBack) : 0);
      expect(counts[noun], `${page}: "${whole}"`).toContain(stated);
    }
  });
});

describe('citations', () => {
  it('every requirement of a profile cites its basis with public sources and a reading in the docs (docs/protocol.md, or docs/mcp-binding.md)', () => {
    const protocol = anchorsOf(text('docs/protocol.md'));
    for (const r of REQUIREMENTS) {
      if (r.id.startsWith('GATE-')) continue;
      const c = citationsOf(r.basis);
      // The MCP binding's rules rest on a row of docs/mcp-binding.md; every other requirement on the brief.
      if (!c.reading.startsWith('docs/mcp-binding.md#')) expect(sectionsOf(r.basis).length, r.id).toBeGreaterThan(0);
      expect(c.sources.length, r.id).toBeGreaterThan(1);
      for (const s of c.sources) expect(s.url, r.id).toMatch(/^https:\/\//);
      const [page, anchor] = c.reading.split('#') as [string, string];
      expect(anchorsOf(text(page)).has(anchor), `${r.id}: ${c.reading}`).toBe(true);
    }
    for (const s of Object.values(SECTION_SOURCES)) expect(protocol.has(s.reading), s.reading).toBe(true);
  });
});
