import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ToolError } from '../../src/kit/check.js';
import { registerServe } from '../../src/cli/serve.js';
import { VARIANTS } from '../../src/runtime/index.js';

function program() {
  const p = new Command('openport-conform').exitOverride();
  registerServe(p);
  return p;
}

function captureStdout(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

// Start-up loads modules (the MCP SDK with --mcp): on a loaded machine it outlasts waitFor's 1 s default.
const STARTED = { timeout: 30_000 };

afterEach(() => vi.restoreAllMocks());

describe('serve --variant', () => {
  it('serves the variants it names and reports them with the admin headers they need', async () => {
    const lines = captureStdout();
    const running = program().parseAsync(['node', 'x', 'serve', '--port', '0', '--json', '--variant', 'authors-admin', '--variant', 'created-201']);
    await vi.waitFor(() => expect(lines.length).toBe(1), STARTED);
    const info = JSON.parse(lines[0]!);
    expect(info.variants).toEqual(['authors-admin', 'created-201']);
    expect(info.adminHeaders).toEqual({ 'x-admin-user': 'admin_demo' });
    const created = await fetch(`${info.url}/api/agent-admin/v1/apps`, {
      method: 'POST',
      headers: { ...info.adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'workspace', name: 'via serve' }),
    });
    expect(created.status).toBe(201);
    process.emit('SIGTERM');
    await running;
  });

  it('prints the admin header a variant needs in the text banner', async () => {
    const lines = captureStdout();
    const running = program().parseAsync(['node', 'x', 'serve', '--port', '0', '--variant', 'authors-admin']);
    await vi.waitFor(() => expect(lines.length).toBe(1), STARTED);
    expect(lines[0]).toContain('admin header   x-admin-user: admin_demo');
    expect(lines[0]).toContain('variants       authors-admin');
    process.emit('SIGTERM');
    await running;
  });

  it('lists every variant with what allows it, and refuses unknown ones with exit code 2', async () => {
    const lines = captureStdout();
    await program().parseAsync(['node', 'x', 'serve', '--list-variants']);
    const text = lines.join('');
    for (const v of VARIANTS) expect(text).toContain(v.name);
    expect(text).toMatch(/retry-after-only\s+A 429 carries Retry-After only.*\n\s+allowed by: Brief section 9/);
    const err = await program().parseAsync(['node', 'x', 'serve', '--variant', 'nope']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/unknown variant "nope"; valid variants: authors-admin/);
  });
});
