import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');

/** Every module `entry` reaches by static imports (type-only imports and dynamic import() excluded). */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\sfrom\s+'(\.[^']+)'/gm)) {
      visit(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
    }
  };
  visit(resolve(ROOT, entry));
  return seen;
}

describe('the fault and variant registries load only when asked for', () => {
  // Some 300 modules: a clean run, serve and the runtime itself must not pay for them at start-up.
  it.each(['src/runtime/runtime.ts', 'src/runtime/server.ts', 'src/runner/run.ts', 'src/cli/serve.ts', 'src/cli/main.ts'])('%s does not import them statically', (entry) => {
    const reached = [...staticGraph(entry)].map((f) => f.slice(ROOT.length + 1));
    expect(reached.length).toBeGreaterThan(1);
    expect(reached.filter((f) => /^src\/runtime\/(faults|variants)\//.test(f))).toEqual([]);
  });

  it('the public runtime API still carries them', () => {
    const reached = [...staticGraph('src/runtime/index.ts')].map((f) => f.slice(ROOT.length + 1));
    expect(reached).toContain('src/runtime/faults/index.ts');
    expect(reached).toContain('src/runtime/variants/index.ts');
  });
});
