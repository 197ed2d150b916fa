import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGateConfig, resolveSecret } from '../../src/gate/config.js';
import { cli } from '../support/cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(root, 'fixtures', 'schemas', 'gate-config.schema.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'opc-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Flag of `gate` → its config key (a JSON path into the schema); credentials name where the value lives. */
const KEY_OF: Record<string, string> = {
  'admin-header': 'credentials/adminHeaders', 'admin-header-file': 'credentials/adminHeaders', token: 'credentials/token', 'token-file': 'credentials/token', 'journal-max-bytes': 'journalMaxBytes', target: 'target', safety: 'safety', fault: 'faults', domain: 'domain', 'wait-retry-after': 'waitRetryAfter',
  reporter: 'reporters', out: 'out', timeout: 'timeout', profile: 'profile', strict: 'strict', only: 'only', exclude: 'exclude',
  seed: 'seed', concurrency: 'concurrency', 'fuzz-runs': 'fuzz/runs', 'fuzz-time': 'fuzz/timeMs', shard: 'shard', baseline: 'baseline',
  scan: 'scan/roots', history: 'scan/history', deployment: 'deployment/files', 'max-window-hours': 'deployment/maxWindowHours', 'fail-on': 'deployment/fail',
};

function load(name: string, text: string) {
  const file = join(dir, name);
  writeFileSync(file, text);
  try {
    return { config: loadGateConfig(file) };
  } catch (e) {
    return { code: (e as { exitCode?: number }).exitCode, message: (e as Error).message };
  }
}

describe('gate config', () => {
  it('has a config key for every flag of `gate` (except --config itself)', async () => {
    const help = (await cli(['gate', '--help'])).stdout;
    const flags = [...help.matchAll(/^\s+(?:-\w, )?--([a-z-]+)/gm)].map((m) => m[1]!).filter((f) => f !== 'help' && f !== 'config');
    expect(flags.length).toBeGreaterThan(20);
    for (const flag of flags) {
      const path = KEY_OF[flag];
      expect(path, `--${flag} has no config key`).toBeDefined();
      let node = schema;
      for (const part of path!.split('/')) node = node.properties?.[part] ?? node.items?.properties?.[part];
      expect(node, `${flag} → ${path}`).toBeDefined();
    }
    // Credentials are references, never values.
    expect(schema.definitions.secretRef.properties).toEqual({ env: expect.any(Object), file: expect.any(Object) });
  });

  it('accepts the documented keys and refuses unknown ones naming the file, the path and the allowed keys', () => {
    expect(load('ok.yaml', 'profile: core\nsafety: read-only\nscan: { roots: [dist], privateMarkers: [{ name: codename, pattern: falcon, flags: i }] }\n').config).toMatchObject({ profile: 'core', scan: { roots: ['dist'] } });
    expect(load('top.yaml', 'profle: core\n')).toMatchObject({ code: 2, message: expect.stringMatching(/top\.yaml: \/profle: unknown key "profle"; allowed keys at \/: url, profile, safety/) });
    expect(load('enum.yaml', 'safety: production\n')).toMatchObject({ code: 2, message: expect.stringMatching(/enum\.yaml: \/safety: .*\(read-only, draft, execute, load\)/) });
    expect(load('re.yaml', "scan: { privateMarkers: [{ name: x, pattern: '(' }] }\n")).toMatchObject({ code: 2, message: expect.stringContaining('/scan/privateMarkers/0/pattern: not a regular expression') });
    expect(load('yaml.yaml', 'profile: [core\n')).toMatchObject({ code: 2, message: expect.stringContaining('not valid YAML') });
    expect(load('both.yaml', 'credentials: { token: { env: A, file: b } }\n')).toMatchObject({ code: 2, message: expect.stringContaining('/credentials/token: name exactly one of env') });
    const value = load('value.yaml', 'credentials: { adminHeaders: [{ name: authorization }] }\n');
    expect(value).toMatchObject({ code: 2, message: expect.stringContaining('/credentials/adminHeaders/0: name exactly one of env') });
  });

  it('reads a credential from a file (first line) or the environment', () => {
    const f = join(dir, 'token.txt');
    writeFileSync(f, 'op_fromafile\nignored\n');
    expect(resolveSecret({ file: f }, 'x')).toBe('op_fromafile');
    expect(resolveSecret({ env: 'OPC_CONFIG_TEST' }, 'x', { OPC_CONFIG_TEST: ' op_fromenv ' })).toBe('op_fromenv');
    expect(() => resolveSecret({ file: join(dir, 'nope') }, 'at /credentials/token')).toThrow(/at \/credentials\/token: credential file .*nope does not exist/);
  });
});
