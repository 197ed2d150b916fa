// Peak memory of a whole CLI run, in a child process of its own.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

/**
 * Runs `openport-conform <args>` in a child process and resolves with its exit code, stderr and peak RSS (KiB),
 * measured by the child itself: VmHWM, the high-water mark of its own address space. (`process.resourceUsage()
 * .maxRSS` is no good here: Linux carries the pre-exec high-water mark over an exec, so it reports at least the
 * RSS of the test worker that forked the child.)
 */
export function peakRss(args: readonly string[]): Promise<{ code: number | null; stderr: string; maxRssKiB: number }> {
  const main = new URL(`file://${join(root, 'dist', 'src', 'cli', 'main.js')}`).href;
  const script = `
    const { main, processIo } = await import(${JSON.stringify(main)});
    const { code } = await main(process.argv.slice(1), processIo());
    const { readFileSync } = await import('node:fs');
    process.stderr.write('\\nmaxRSS=' + /^VmHWM:\\s*(\\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))[1] + '\\n');
    process.exit(code);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  return new Promise((res) => child.on('exit', (code) => res({ code, stderr, maxRssKiB: Number(/maxRSS=(\d+)/.exec(stderr)?.[1] ?? NaN) })));
}
