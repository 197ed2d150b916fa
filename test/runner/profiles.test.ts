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

  it('name their layer and list no requirement: the table is the only list', () => {
    for (const layer of LAYERS) {
      const file = parse(readFileSync(join(PROFILES_DIR, `${layer}.yaml`), 'utf8'));
      expect(Object.keys(file).sort(), layer).toEqual(layer === 'core' ? ['description', 'name'] : ['description', 'extends', 'name']);
      expect(file.name).toBe(layer);
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

describe('profile loading', () => {
  const own = (layer: string) => REQUIREMENTS.filter((r) => r.layer === layer);

  it('holds the rows of its layer in table order, after those of the profiles it extends', () => {
    const dir = dirWith({
      core: 'name: core\ndescription: d\n',
      'state-witness': 'name: state-witness\nextends: core\ndescription: skips a layer\n',
    });
    expect(loadProfile('state-witness', dir)).toEqual({ name: 'state-witness', description: 'skips a layer', chain: ['core', 'state-witness'], requirements: [...own('core'), ...own('state-witness')] });
  });

  it('refuses a name that is not a requirement layer, with the layers', () => {
    const dir = dirWith({ gold: 'name: gold\ndescription: d\n', gate: 'name: gate\ndescription: d\n' });
    const e = toolErrorOf(() => loadProfile('gold', dir));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/gold\.yaml: "gold" is not a requirement layer; a profile is named after the layer whose requirements it holds \(core, write-lifecycle, state-witness\)/);
    // The gate's rules are judged by the gate command, never by a profile.
    expect(toolErrorOf(() => loadProfile('gate', dir)).message).toMatch(/"gate" is not a requirement layer/);
  });

  it('refuses a file that lists requirements (the table lists them), naming the allowed keys', () => {
    const dir = dirWith({ core: 'name: core\ndescription: d\nrequirements:\n  - id: ENV-001\n' });
    expect(toolErrorOf(() => loadProfile('core', dir)).message).toMatch(/core\.yaml: .*unknown key "requirements" \(allowed: name, extends, description\)/);
  });

  it('refuses a name that differs from the file, cycles and an unknown parent', () => {
    const dir = dirWith({
      core: 'name: core\nextends: write-lifecycle\ndescription: d\n',
      'write-lifecycle': 'name: write-lifecycle\nextends: core\ndescription: d\n',
      'state-witness': 'name: state-witness\nextends: nope\ndescription: d\n',
    });
    expect(toolErrorOf(() => loadProfile('core', dir)).message).toMatch(/extends cycle core → write-lifecycle → core/);
    expect(toolErrorOf(() => loadProfile('state-witness', dir)).message).toMatch(/unknown profile "nope"; valid profiles: core, state-witness, write-lifecycle/);
    const renamed = dirWith({ core: 'name: write-lifecycle\ndescription: d\n' });
    expect(toolErrorOf(() => loadProfile('core', renamed)).message).toMatch(/core\.yaml: name is "write-lifecycle" but the file is core\.yaml/);
  });
});
