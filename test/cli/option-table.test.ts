// The option table (src/runner/options.ts, src/report/options.ts) is the one place a run option is spelled:
// each option appears in every derived place it declares, and no derived place spells one by hand.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { CLI_OPTIONS } from '../../src/cli/options.js';
import { recordOf } from '../../src/evidence/bundle.js';
import { gateConfigSchema } from '../../src/gate/config.js';
import { BUNDLE_PATHS, flagOf, getPath, pickPaths, replayArgs, RUN_OPTIONS, setPath, type CommandName, type OptionDef } from '../../src/runner/options.js';
import type { RunReport } from '../../src/runner/result.js';
import { program } from '../support/cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const TABLES = ['src/runner/options.ts', 'src/report/options.ts'];
const entries = Object.entries(CLI_OPTIONS) as [string, OptionDef<any>][];

/** The commander command(s) each table command name stands for ('gate' also covers `baseline update`). */
function commandsOf(p: Command, name: CommandName): Command[] {
  const sub = (c: Command, n: string) => c.commands.find((x) => x.name() === n)!;
  return name === 'gate' ? [sub(p, 'gate'), sub(sub(p, 'baseline'), 'update')] : [sub(p, name)];
}

/** A value of the option other than its default, for round trips. */
function sample(key: string, def: OptionDef<any>): unknown {
  if (def.secret === 'headers') return { 'x-admin-user': 'admin_demo' };
  if (def.choices && !def.list) return def.choices.find((c) => c !== def.default && c !== 'http')!;
  if (def.list) return key === 'only' ? ['AUTHN-001'] : ['a-name'];
  if (def.range) return def.range.min === def.default ? def.range.max : def.range.min;
  if (key === 'shard') return { index: 2, count: 3 };
  if (key === 'path') return '3:0:1';
  if (!def.arg) return true;
  return key === 'mcpPath' ? '/rpc' : 'some/file.yaml';
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the option table', () => {
  it('names each option by its commander attribute: the flag is the key in kebab case', () => {
    for (const [key, def] of entries) {
      const o = commandsOf(program(), def.commands[0]!)[0]!.options.find((x: Option) => x.long === flagOf(key));
      expect(o?.attributeName(), key).toBe(key);
    }
  });

  it('every option is a flag of each command it declares, with its help, choices and parser', () => {
    const p = program();
    for (const [key, def] of entries) {
      for (const name of def.commands) {
        for (const cmd of commandsOf(p, name)) {
          const o = cmd.options.find((x: Option) => x.long === flagOf(key));
          expect(o, `${cmd.name()} ${flagOf(key)}`).toBeDefined();
          expect(o!.description).toContain(def.per?.[name]?.help ?? def.help);
          if (def.choices && !def.list) expect(o!.argChoices).toEqual([...def.choices]);
          if (def.arg) expect(o!.flags).toBe(`${flagOf(key)} ${def.per?.[name]?.arg ?? def.arg}`);
          else expect(o!.isBoolean()).toBe(true);
        }
      }
    }
  });

  it('every config key is in the gate config schema, with the range the flag enforces', () => {
    const schema = gateConfigSchema() as { properties: Record<string, any> };
    for (const [key, def] of entries.filter(([, d]) => d.config)) {
      let node: any = { properties: schema.properties };
      for (const part of def.config!.split('.')) node = node.properties?.[part];
      expect(node, `${key} → ${def.config}`).toBeDefined();
      if (def.range) expect([node.minimum, node.maximum], key).toEqual([def.range.min, def.range.max]);
      if (def.choices) expect(def.list ? node.items.enum : node.enum, key).toEqual([...def.choices]);
    }
  });

  it('every replay option enters the replay line, which parses back to the same value; credentials only as shell variables', () => {
    for (const [key, def] of entries.filter(([, d]) => d.replay)) {
      const command: CommandName = def.commands.includes('run') ? 'run' : 'fuzz';
      const resolved: Record<string, unknown> = {};
      setPath(resolved, def.run!, sample(key, def));
      const args = replayArgs(resolved, command, true);
      expect(args, key).toContain(flagOf(key));
      if (def.secret) {
        expect(args.join(' '), key).toMatch(/"\$OPENPORT_|"x-admin-user: \$OPENPORT_ADMIN_X_ADMIN_USER"/);
        expect(args.join(' ')).not.toContain('admin_demo');
        continue;
      }
      const cmd = commandsOf(program(), command)[0]!;
      cmd.parseOptions(args);
      expect(cmd.opts()[key], key).toEqual(sample(key, def));
      // An embedded run fixes what replays only against a url.
      if (def.replay === 'url') expect(replayArgs(resolved, command, false)).toEqual([]);
    }
    // A default is left out of the line.
    expect(replayArgs({ binding: 'http', domain: 'demo' }, 'run', false)).toEqual([]);
  });

  it('every bundle option enters the bundle record and is read back from it; no credential ever does', () => {
    const bundled = entries.filter(([, d]) => d.bundle);
    expect(bundled.map(([, d]) => d.run)).toEqual([...BUNDLE_PATHS]);
    const opts: Record<string, unknown> = { token: 'op_secret', adminHeaders: { authorization: 'Bearer adm_secret' } };
    for (const [key, def] of bundled) setPath(opts, def.run!, sample(key, def));
    const report = { profile: opts.profile, safety: opts.safety, strict: opts.strict, seed: opts.seed, target: { faults: opts.faults } } as unknown as RunReport;
    const record = recordOf(opts, report);
    for (const [key, def] of bundled) {
      expect(getPath(record, def.run!), key).toEqual(sample(key, def));
      expect(getPath(pickPaths(JSON.parse(JSON.stringify(record)), BUNDLE_PATHS), def.run!), key).toEqual(sample(key, def));
    }
    expect(JSON.stringify(record)).not.toMatch(/secret/);
    for (const [, def] of entries.filter(([, d]) => d.secret)) expect(def.bundle).toBeUndefined();
  });

  it('no derived place spells an option by hand', () => {
    const flags = entries.map(([key]) => flagOf(key).slice(2));
    // The camelCase names only a run option has (admin headers and a request timeout are also the clients' and transport's own).
    const compound = new Set(entries.flatMap(([key, def]) => [key, ...(def.run ? [def.run.split('.').at(-1)!] : [])]).filter((n) => /[A-Z]/.test(n) && !['adminHeader', 'adminHeaders', 'timeoutMs'].includes(n)));
    const configKeys = [...new Set(entries.map(([, d]) => d.config?.split('.')[0]).filter((k): k is string => !!k))];
    const problems: string[] = [];
    for (const file of tsFiles(join(root, 'src'))) {
      const rel = relative(root, file);
      if (TABLES.includes(rel)) continue;
      // Prose in comments may name a flag.
      const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      // serve and mutate are commands of their own whose flags of the same name mean other things.
      if (!/src\/cli\/(serve|mutate)\.ts$/.test(rel)) {
        for (const m of text.matchAll(/(?:\.option\(|new Option\()\s*['"`]--([a-z-]+)/g)) if (flags.includes(m[1]!)) problems.push(`${rel}: declares --${m[1]} by hand`);
      }
      // A flag as a whole argv word (replay lines): only the table knows it.
      for (const m of text.matchAll(/['"`]--([a-z-]+)['"`]/g)) if (flags.includes(m[1]!)) problems.push(`${rel}: spells the argument '--${m[1]}'`);
      // A run option's gate config key is read through the table, never as config.<key>.
      for (const m of text.matchAll(/\bconfig\??\.([a-zA-Z]+)/g)) if (configKeys.includes(m[1]!) && m[1] !== 'credentials') problems.push(`${rel}: reads config.${m[1]}`);
      // Option records are derived types: no interface lists a run option's field by hand, except RunOptions itself and the run's context.
      if (!/src\/(runner\/(run|context)|kit\/check)\.ts$/.test(rel)) {
        for (const m of text.matchAll(/^\s+([a-z]+[A-Z]\w*)\??: [^,]*;$/gm)) if (compound.has(m[1]!)) problems.push(`${rel}: declares the field ${m[1]} by hand`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("'wait-retry-after' and 'waitRetryAfter' occur in src/ only in the table and where the resolved options are read", () => {
    const hits: string[] = [];
    for (const file of tsFiles(join(root, 'src'))) {
      const rel = relative(root, file);
      if (TABLES.includes(rel)) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (!/wait-retry-after|waitRetryAfter/.test(line)) return;
        // Reading the resolved options (opts, env, ctx) or declaring their fields (RunOptions, RunEnv, CheckContext), with its comment.
        if (/\b(opts|env|ctx)\.waitRetryAfter\b|^\s+(readonly )?waitRetryAfter\??: boolean;$|^\s+\/\*\* --wait-retry-after: /.test(line)) return;
        hits.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });
});
