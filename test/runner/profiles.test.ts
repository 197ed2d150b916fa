import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toolErrorOf } from './fakes.js';
import { PROFILE_NAMES, PROFILES_DIR, listProfiles, loadProfile, profileSchemaErrors } from '../../src/runner/profiles.js';
import { LAYERS, REQUIREMENTS } from '../../src/protocol/requirements.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'opc-profiles-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, `${name}.yaml`), text);
  return dir;
}

describe('shipped profiles', () => {
  it('each satisfies the profile schema (the loader trusts shipped files and does not re-check it at start-up)', () => {
    for (const name of PROFILE_NAMES) {
      const data = parse(readFileSync(join(PROFILES_DIR, `${name}.yaml`), 'utf8'));
      expect(profileSchemaErrors(data), name).toEqual([]);
    }
    expect(profileSchemaErrors({ name: 'core', requirements: 'no' }).length).toBeGreaterThan(0);
  });

  it('list exactly the requirement table, layer by layer (the table is the source of truth)', () => {
    for (const layer of LAYERS) {
      const file = parse(readFileSync(join(PROFILES_DIR, `${layer}.yaml`), 'utf8'));
      const own = REQUIREMENTS.filter((r) => r.layer === layer).map((r) => ({ id: r.id, level: r.level, title: r.title }));
      expect(file.requirements).toEqual(own);
    }
  });

  it('extend each other: core ← write-lifecycle ← state-witness', () => {
    expect(PROFILE_NAMES).toEqual(['core', 'write-lifecycle', 'state-witness']);
    const sw = loadProfile('state-witness');
    expect(sw.chain).toEqual(['core', 'write-lifecycle', 'state-witness']);
    expect(sw.requirements.map((r) => r.id)).toEqual(LAYERS.flatMap((l) => REQUIREMENTS.filter((r) => r.layer === l).map((r) => r.id)));
    expect(loadProfile('core').requirements.every((r) => r.layer === 'core')).toBe(true);
    expect(listProfiles().map((p) => p.name).sort()).toEqual([...PROFILE_NAMES].sort());
  });
});

describe('profile loading errors', () => {
  const core = REQUIREMENTS.find((r) => r.id === 'ENV-001')!;
  const entry = (id: string, level: string, title: string) => `  - id: ${id}\n    level: ${level}\n    title: ${JSON.stringify(title)}\n`;

  it('names the file, entry and nearest ids for an unknown id', () => {
    const dir = dirWith({ p: `name: p\ndescription: d\nrequirements:\n${entry(core.id, core.level, core.title)}${entry('AUTHN-010', 'MUST', 'x')}` });
    const e = toolErrorOf(() => loadProfile('p', dir));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/p\.yaml: requirements\[1\]\.id "AUTHN-010" is not a requirement id; nearest: AUTHN-001/);
  });

  it('refuses a level that disagrees with the table', () => {
    const dir = dirWith({ p: `name: p\ndescription: d\nrequirements:\n${entry(core.id, 'SHOULD', core.title)}` });
    expect(toolErrorOf(() => loadProfile('p', dir)).message).toMatch(/p\.yaml: requirements\[0\]\.level is SHOULD but requirement ENV-001 is MUST/);
  });

  it('refuses a title that disagrees with the table', () => {
    const dir = dirWith({ p: `name: p\ndescription: d\nrequirements:\n${entry(core.id, 'MUST', 'paraphrased')}` });
    expect(toolErrorOf(() => loadProfile('p', dir)).message).toMatch(/requirements\[0\]\.title differs from requirement ENV-001/);
  });

  it('resolves extends and refuses cycles and duplicates', () => {
    const ok = dirWith({
      a: `name: a\ndescription: d\nrequirements:\n${entry(core.id, core.level, core.title)}`,
      b: `name: b\nextends: a\ndescription: d\nrequirements: []\n`,
    });
    expect(loadProfile('b', ok)).toMatchObject({ chain: ['a', 'b'], requirements: [core] });
    const cyc = dirWith({ a: `name: a\nextends: b\ndescription: d\nrequirements: []\n`, b: `name: b\nextends: a\ndescription: d\nrequirements: []\n` });
    expect(toolErrorOf(() => loadProfile('a', cyc)).message).toMatch(/extends cycle a → b → a/);
    const dup = dirWith({
      a: `name: a\ndescription: d\nrequirements:\n${entry(core.id, core.level, core.title)}`,
      b: `name: b\nextends: a\ndescription: d\nrequirements:\n${entry(core.id, core.level, core.title)}`,
    });
    expect(toolErrorOf(() => loadProfile('b', dup)).message).toMatch(/requirements\[0\]\.id ENV-001 is already listed by .*a\.yaml/);
  });

  it('refuses unknown keys with the allowed keys, and an unknown parent', () => {
    const dir = dirWith({ p: `name: p\ndescription: d\nrequirement: []\n`, q: `name: q\nextends: nope\ndescription: d\nrequirements: []\n` });
    expect(toolErrorOf(() => loadProfile('p', dir)).message).toMatch(/p\.yaml: .*unknown key "requirement" \(allowed: name, extends, description, requirements\)/);
    expect(toolErrorOf(() => loadProfile('q', dir)).message).toMatch(/unknown profile "nope"; valid profiles: p, q/);
  });
});
