// The one sanitizer for target text (src/report/text.ts), and the CLI's fatal-error line, which quotes what a
// hostile server answered: no escape sequence, no 8-bit control, no bidi override and no second line reaches
// the terminal.
import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { displayLine, displayText } from '../../src/report/text.js';
import { cli } from '../support/cli.js';

const HOSTILE_CODE = '\u001b[2J\u001b[H\u001b]0;pwned\u0007\u009b31m\u202Edecnuonna\nPASS ENV-005\n77 checks: 77 passed · CONFORMANT';

describe('displayText / displayLine', () => {
  it('turns every control character into ? and makes bidi controls visible', () => {
    expect(displayText('a\u001b[2Jb\u009bc\u0007d\u007fe')).toBe('a?[2Jb?c?d?e');
    expect(displayText('x\u202Ey\u2066z')).toBe('x⟨U+202E⟩y⟨U+2066⟩z');
    expect(displayText('tab\tand\nnewline stay')).toBe('tab\tand\nnewline stay');
    expect(displayLine(' one\r\n two \n three ')).toBe('one two three');
  });
});

describe('the fatal-error line', () => {
  let server: Server | undefined;
  afterAll(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  it('quotes a crafted refusal of the admin probe on one plain line', async () => {
    server = createServer((req, res) => {
      const json = { 'content-type': 'application/json' };
      if (req.url?.startsWith('/healthz')) return void res.writeHead(200, json).end('{"ok":true,"code":"common.success","data":{"status":"ok"}}');
      res.writeHead(403, json).end(JSON.stringify({ ok: false, code: HOSTILE_CODE, message: HOSTILE_CODE }));
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    const { port } = server.address() as { port: number };
    const o = await cli(['run', `http://127.0.0.1:${port}`, '--admin-header', 'authorization: Bearer adm_x', '--reporter', 'pretty'], { tty: true });
    expect(o.code).toBe(3);
    const lines = o.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^openport-conform: /);
    expect(o.stderr + o.stdout).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
    expect(o.stdout).not.toMatch(/^PASS ENV-005/m);
  });
});
