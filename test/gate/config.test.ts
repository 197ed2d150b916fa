import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GATE_CONFIG_KEYS } from '../../src/cli/gate.js';
import { CLI_OPTIONS } from '../../src/cli/options.js';
import { configValues, gateConfigSchema, loadGateConfig, resolveSecret } from '../../src/gate/config.js';
import { REPORTER_NAMES } from '../../src/report/index.js';
import { cli } from '../support/cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(root, 'fixtures', 'schemas', 'gate-config.schema.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'opc-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
/** Flag of `gate` → its config key (a JSON path into the schema): the option table's, else the gate's own. */
const keyOf = (flag: string) =>
  ((CLI_OPTIONS as Record<string, { config?: string }>)[camel(flag)]?.config ?? (GATE_CONFIG_KEYS as Record<string, string>)[camel(flag)])?.replace(/\./g, '/');

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
      const path = keyOf(flag);
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
    expect(load('top.yaml', 'profle: core\n')).toMatchObject({ code: 2, message: expect.stringMatching(/top\.yaml: \/profle: unknown key "profle"; allowed keys at \/: url, profile, .*safety/) });
    expect(load('enum.yaml', 'safety: production\n')).toMatchObject({ code: 2, message: expect.stringMatching(/enum\.yaml: \/safety: .*\(read-only, draft, execute, load\)/) });
    expect(load('re.yaml', "scan: { privateMarkers: [{ name: x, pattern: '(' }] }\n")).toMatchObject({ code: 2, message: expect.stringContaining('/scan/privateMarkers/0/pattern: not a regular expression') });
    expect(load('yaml.yaml', 'profile: [core\n')).toMatchObject({ code: 2, message: expect.stringContaining('not valid YAML') });
    expect(load('both.yaml', 'credentials: { token: { env: A, file: b } }\n')).toMatchObject({ code: 2, message: expect.stringContaining('/credentials/token: name exactly one of env') });
    const value = load('value.yaml', 'credentials: { adminHeaders: [{ name: authorization }] }\n');
    expect(value).toMatchObject({ code: 2, message: expect.stringContaining('/credentials/adminHeaders/0: name exactly one of env') });
  });

  it('accepts every reporter `--reporter` accepts, html included, and refuses an unknown one', () => {
    expect(load('html.yaml', 'reporters: [html]\n').config).toEqual({ reporters: ['html'] });
    expect(load('all.yaml', `reporters: [${REPORTER_NAMES.join(', ')}]\n`).config).toEqual({ reporters: REPORTER_NAMES });
    expect(load('xml.yaml', 'reporters: [xml]\n')).toMatchObject({ code: 2, message: expect.stringContaining('/reporters/0') });
  });

  it('refuses what the flag refuses: the ranges come from the same parsers', () => {
    expect(load('timeout.yaml', 'timeout: 600000\n').config).toEqual({ timeout: 600000 });
    expect(load('timeout-big.yaml', 'timeout: 600001\n')).toMatchObject({ code: 2, message: expect.stringContaining('/timeout') });
    // A string key goes through the flag's parser when the gate merges it.
    expect(configValues({ shard: '2/3', fuzz: { runs: 5 } }, 'g.yaml')).toEqual({ shard: { index: 2, count: 3 }, fuzzRuns: 5 });
    expect(() => configValues({ shard: '4/3' }, 'g.yaml')).toThrow(/invalid gate config g\.yaml: \/shard: expected i\/n/);
    // deployment.maxWindowHours takes what --max-window-hours takes: a whole number of hours from 1 to 100 000.
    expect(load('window.yaml', 'deployment: { maxWindowHours: 100000 }\n').config).toEqual({ deployment: { maxWindowHours: 100000 } });
    for (const v of ['1e400', '500000000', '0', '1.5']) expect(load('window-bad.yaml', `deployment: { maxWindowHours: ${v} }\n`), v).toMatchObject({ code: 2, message: expect.stringContaining('/deployment/maxWindowHours') });
    // Credentials are references the gate resolves itself, never option values.
    expect(configValues({ credentials: { token: { env: 'T' }, adminHeaders: [{ name: 'a', env: 'A' }] } }, 'g.yaml')).toEqual({});
  });

  it('fixtures/schemas/gate-config.schema.json is the schema the gate validates with (run `npm run docs` after changing an option)', () => {
    expect(schema).toEqual(gateConfigSchema());
  });

  it('reads a credential from a file (first line) or the environment', () => {
    const f = join(dir, 'token.txt');
    writeFileSync(f, 'op_fromafile\nignored\n');
    expect(resolveSecret({ file: f }, 'x')).toBe('op_fromafile');
    expect(resolveSecret({ env: 'OPC_CONFIG_TEST' }, 'x', { OPC_CONFIG_TEST: ' op_fromenv ' })).toBe('op_fromenv');
    expect(() => resolveSecret({ file: join(dir, 'nope') }, 'at /credentials/token')).toThrow(/at \/credentials\/token: credential file .*nope does not exist/);
  });
});
