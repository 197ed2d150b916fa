// Faults and variants are things, not branches: each overrides named decision points of the runtime
// (src/runtime/hooks.ts), and the runtime's request path never names one of them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULTS, VARIANTS } from '../../src/runtime/index.js';
import { selectFaults } from '../../src/runtime/faults/index.js';
import { composeHooks, type HookEnv, type HookOverrides } from '../../src/runtime/hooks.js';
import { selectVariants } from '../../src/runtime/variants/index.js';
import { harness } from './helpers.js';

const RUNTIME_DIR = resolve(import.meta.dirname, '../../src/runtime');
const DEFS: readonly { name: string; hooks: HookOverrides }[] = [...FAULTS, ...VARIANTS];
// Defaults only touch the env when a hook is called; listing their names needs none.
const HOOK_NAMES = Object.keys(composeHooks({} as HookEnv, []));

describe('the runtime request path', () => {
  it('asks no fault or variant set and names no fault or variant (src/runtime/*.ts, outside faults/ and variants/)', () => {
    const files = readdirSync(RUNTIME_DIR).filter((f) => f.endsWith('.ts'));
    expect(files).toContain('runtime.ts');
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // A name counts wherever it stands as a whole word: in a string, a comment or an identifier-like token.
    const named = new RegExp(`(?<![\\w-])(${DEFS.map((d) => escape(d.name)).join('|')})(?![\\w-])`, 'g');
    const violations: string[] = [];
    for (const file of files) {
      const src = readFileSync(join(RUNTIME_DIR, file), 'utf8');
      for (const m of src.matchAll(/\b(faults|variants)\.has\(/g)) violations.push(`${file}: ${m[0]}`);
      for (const m of src.matchAll(named)) violations.push(`${file}: ${m[1]}`);
    }
    expect(violations).toEqual([]);
  });
});

describe('fault and variant files', () => {
  it('each overrides one or two decision points the runtime has', () => {
    expect(HOOK_NAMES.length).toBeGreaterThan(10);
    for (const d of DEFS) {
      const overridden = Object.keys(d.hooks);
      expect(overridden.length, d.name).toBeGreaterThanOrEqual(1);
      expect(overridden.length, d.name).toBeLessThanOrEqual(2);
      for (const h of overridden) expect(HOOK_NAMES, `${d.name} overrides ${h}`).toContain(h);
    }
  });

  it('are composed in registry order, whatever the order they are asked for in', () => {
    const [a, b] = [FAULTS[3]!, FAULTS[0]!];
    expect(selectFaults([a.name, b.name]).hooks).toEqual([b.hooks, a.hooks]);
    expect(selectFaults([a.name, b.name, a.name]).names).toEqual([a.name, b.name]);
    expect(() => selectVariants(['no-such-variant'])).toThrow(/unknown variant no-such-variant/);
  });
});

describe('hook composition', () => {
  it('hands each override the layers below it', () => {
    const hooks = composeHooks({} as HookEnv, [
      { contentType: () => () => 'a' },
      { contentType: (next) => () => `${next()}+b` },
    ]);
    expect(hooks.contentType()).toBe('a+b');
    expect(composeHooks({} as HookEnv, []).contentType()).toBe('application/json; charset=utf-8');
  });

  it('gives a fault the last word over a variant on the same decision', async () => {
    // cross-tenant-404 answers another tenant's container with 404; tenant-cross-read lets the listing through.
    const read = async (h: ReturnType<typeof harness>) => {
      const other = await h.newApp({ org_id: 'org_other' });
      const r = await h.agent('GET', '/transactions?ledgerId=ledger_main', { token: other.token });
      return [r.status, r.json.code];
    };
    expect(await read(harness({ variants: ['cross-tenant-404'] }))).toEqual([404, 'agent.not_found']);
    expect(await read(harness({ variants: ['cross-tenant-404'], faults: ['tenant-cross-read'] }))).toEqual([200, 'common.success']);
  });
});
