// `serve --variant` through main(argv, io), in-process.
import { afterEach, describe, expect, it } from 'vitest';
import { VARIANTS } from '../../src/runtime/index.js';
import { cli, startCli, startServe, TestSignals, type Served } from '../support/cli.js';

let served: Served | undefined;
afterEach(async () => {
  await served?.stop();
  served = undefined;
});

describe('serve --variant', () => {
  it('serves the variants it names and reports them with the admin headers they need', async () => {
    served = await startServe(['--variant', 'authors-admin', '--variant', 'created-201']);
    expect(served.variants).toEqual(['authors-admin', 'created-201']);
    expect(served.adminHeaders).toEqual({ 'x-admin-user': 'admin_demo' });
    const created = await fetch(`${served.url}/api/agent-admin/v1/apps`, {
      method: 'POST',
      headers: { ...served.adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'workspace', name: 'via serve' }),
    });
    expect(created.status).toBe(201);
  });

  it('prints the admin header a variant needs in the text banner', async () => {
    const signals = new TestSignals();
    const s = startCli(['serve', '--port', '0', '--variant', 'authors-admin'], { signals });
    const banner = await s.stdout.until((t) => t.includes('Ctrl-C to stop'));
    expect(banner).toContain('admin header   x-admin-user: admin_demo');
    expect(banner).toContain('variants       authors-admin');
    signals.send('SIGTERM');
    expect((await s.done).code).toBe(0);
  });

  it('lists every variant with what allows it, and refuses unknown ones with exit code 2, naming the nearest', async () => {
    const list = await cli(['serve', '--list-variants']);
    for (const v of VARIANTS) expect(list.stdout).toContain(v.name);
    expect(list.stdout).toMatch(/retry-after-only\s+A 429 carries Retry-After only.*\n\s+allowed by: Brief section 9/);
    const err = await cli(['serve', '--variant', 'retry-after-onyl']);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/unknown variant "retry-after-onyl"; nearest: retry-after-only\b.* \(all: openport-conform serve --list-variants\)\n$/);
  });
});
