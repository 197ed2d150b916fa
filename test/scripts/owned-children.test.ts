// scripts/owned-children.mjs: the servers a benchmark or soak starts end with it, however it ends.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const owned = resolve(import.meta.dirname, '..', '..', 'scripts', 'owned-children.mjs');

/**
 * A script that starts an owned child (a node process that would idle for ten minutes), prints the child's pid,
 * then goes on writing to stdout until something ends it.
 */
const parent = `
  const { spawnOwned } = await import(${JSON.stringify(owned)});
  const child = spawnOwned(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
  console.log(child.pid);
  const tick = () => process.stdout.write('.\\n', () => setTimeout(tick, 20));
  tick();`;

/** A process that has exited but not been reaped yet (a zombie, until PID 1 collects it) counts as gone. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
};

/** Resolves once `pid` is gone; polled 2 000 times at most (a bound for a loaded machine, not a timing assertion). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 2_000 && alive(pid); i++) await new Promise((ok) => setTimeout(ok, 25));
  return !alive(pid);
}

/** Children of the scripts below: ended after each test, so a failing test leaves no process behind. */
const children: number[] = [];
afterEach(() => {
  for (const pid of children.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

async function started(): Promise<{ script: ReturnType<typeof spawn>; child: number }> {
  const script = spawn(process.execPath, ['--input-type=module', '-e', parent], { stdio: ['ignore', 'pipe', 'inherit'] });
  const child = await new Promise<number>((ok) => {
    let b = '';
    script.stdout!.on('data', function first(d) {
      b += d;
      const i = b.indexOf('\n');
      if (i >= 0) {
        script.stdout!.off('data', first);
        ok(Number(b.slice(0, i)));
      }
    });
  });
  children.push(child);
  expect(alive(child)).toBe(true);
  return { script, child };
}

describe('scripts/owned-children.mjs', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('a script ended by %s takes its children with it', async (signal) => {
    const { script, child } = await started();
    script.kill(signal);
    const [code] = await once(script, 'exit');
    expect(code).toBe({ SIGTERM: 143, SIGINT: 130, SIGHUP: 129 }[signal]);
    expect(await gone(child)).toBe(true);
  });

  it('a script whose stdout reader went away (`| head`) ends, and its children with it', async () => {
    const { script, child } = await started();
    script.stdout!.destroy();
    const [code] = await once(script, 'exit');
    expect(code).toBe(141);
    expect(await gone(child)).toBe(true);
  });
});
