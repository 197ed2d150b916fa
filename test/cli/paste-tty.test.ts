// The reproduce lines a user sees on a colour terminal, pasted into a shell as printed. The CLI runs as a real
// process inside a pseudo-terminal (util-linux `script`), so it colours its output as it would for a person;
// every `reproduce:` line is taken from that screen text (not from report.json), must hold no escape
// sequence, and must reproduce its finding in `sh`: the replay command of an embedded run and of a fuzz
// counterexample, the curl line of a request made with the user's own token (as $OPENPORT_TOKEN), and the
// replay command of a finding whose request used a test persona the run revoked (a curl line would get 401).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pasteWorkspace, type PasteWorkspace } from '../support/paste.js';
import { startServe, type Served } from '../support/cli.js';


let work: PasteWorkspace;
const servers: Served[] = [];

beforeAll(() => {
  work = pasteWorkspace('opc-paste-');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  work.remove();
});

interface Out { code: number; text: string; cwd: string }

/** A colour terminal's environment: no NO_COLOR, no FORCE_COLOR (the TTY alone decides), the tool on PATH. */
function terminalEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', PATH: work.path, ...extra };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.npm_command;
  return env;
}

/** Run `line` with sh in a fresh directory, inside a pseudo-terminal when `tty` (what a person sees). */
function shell(line: string, env: Record<string, string>, tty: boolean): Promise<Out> {
  const cwd = work.fresh('sh-');
  const [cmd, args] = tty ? ['script', ['-qec', line, '/dev/null']] : ['sh', ['-c', line]];
  return new Promise((done) => {
    execFile(cmd, args, { cwd, env: terminalEnv(env), timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      done({ code: err ? Number(err.code) : 0, text: stdout + stderr, cwd }));
  });
}

/** The reproduce lines of a screen, as a person would select them: from after the label to the end of the line. */
function reproduceLines(screen: string): string[] {
  return screen.split(/\r?\n/).map((l) => l.replace(/\r/g, '')).flatMap((l) => {
    const m = /^\s*reproduce: (.*)$/.exec(l);
    return m ? [m[1]!] : [];
  });
}

function resultOf(dir: string, id: string): { status: string; message?: string } {
  const report = JSON.parse(readFileSync(join(dir, 'openport-report', 'report.json'), 'utf8')) as { results: { id: string; status: string; message?: string }[] };
  return report.results.find((r) => r.id === id)!;
}

/** Run `command` on a colour TTY; return its one reproduce line, checked to be plain text. */
async function seenOnTerminal(command: string, env: Record<string, string> = {}): Promise<{ screen: Out; line: string }> {
  const screen = await shell(`${command} --out openport-report`, env, true);
  expect(screen.code, screen.text).toBe(1);
  // The screen is coloured (so the test saw what a person sees) …
  expect(screen.text).toContain('\u001b[');
  const lines = reproduceLines(screen.text);
  expect(lines, screen.text).toHaveLength(1);
  const line = lines[0]!;
  // … and the line a person copies holds no escape sequence, nor what a sanitizer would make of one.
  expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  expect(line).not.toContain('?[');
  return { screen, line };
}

describe('reproduce lines pasted from a colour terminal', () => {
  it('the replay command of an embedded run reproduces its finding', async () => {
    const { screen, line } = await seenOnTerminal('openport-conform run --profile core --only AUTHN-004 --fault authn-revocation-cache --seed 12');
    expect(line).toMatch(/^openport-conform run --profile core --only AUTHN-004 --seed 12 --fault authn-revocation-cache/);
    const again = await shell(line, {}, false);
    expect(again.code).toBe(1);
    expect(resultOf(again.cwd, 'AUTHN-004')).toMatchObject({ status: 'fail', message: resultOf(screen.cwd, 'AUTHN-004').message });
  }, 120_000);

  it('the fuzz command of a counterexample is printed once and replays it', async () => {
    const { screen, line } = await seenOnTerminal('openport-conform fuzz --only FUZZ-003 --fault fuzz-echo-token --seed 4000000000');
    expect(line).toMatch(/^openport-conform fuzz --profile write-lifecycle --only FUZZ-003 --seed 4000000000 --path \S+ --fault fuzz-echo-token$/);
    // One replay command per finding.
    expect(screen.text.split('openport-conform fuzz --profile').length - 1).toBe(1);
    const again = await shell(line, {}, false);
    expect(again.code).toBe(1);
    expect(resultOf(again.cwd, 'FUZZ-003').status).toBe('fail');
  }, 120_000);

  it("the curl line of a request made with the user's own token shows the defect again", async () => {
    const served = await startServe(['--fault', 'disc-write-no-confirmation']);
    servers.push(served);
    const env = { OPENPORT_TOKEN: served.agentToken };
    const { line } = await seenOnTerminal(`openport-conform run ${served.url} --only DISC-002 --token "$OPENPORT_TOKEN"`, env);
    expect(line).toMatch(/^curl /);
    expect(line).toContain('$OPENPORT_TOKEN');
    expect(line).not.toContain(served.agentToken);
    const again = await shell(line, env, false);
    expect(again.code).toBe(0);
    const tools = (JSON.parse(again.text) as { data: { tools: { requiresConfirmation: boolean; kind?: string }[] } }).data.tools;
    expect(tools.some((t) => t.kind === 'action' && t.requiresConfirmation === false)).toBe(true);
  }, 120_000);

  it('a finding made with a revoked test persona is reproduced by the replay command, not a dead curl line', async () => {
    const served = await startServe(['--fault', 'tenant-cross-read']);
    servers.push(served);
    const [name, value] = Object.entries(served.adminHeaders)[0]!;
    const variable = `OPENPORT_ADMIN_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
    const env = { [variable]: value };
    const { line } = await seenOnTerminal(`openport-conform run ${served.url} --only TENANT-001 --safety draft --seed 3 --admin-header "${name}: $${variable}"`, env);
    expect(line).toMatch(new RegExp(`^openport-conform run ${served.url.replace(/[.]/g, '\\.')} .*--only TENANT-001 --seed 3 .*--admin-header "${name}: \\$${variable}"`));
    expect(line).not.toContain(value);
    const again = await shell(line, env, false);
    expect(again.code).toBe(1);
    expect(resultOf(again.cwd, 'TENANT-001').status).toBe('fail');
  }, 120_000);

  it('under npx the replay command is the npx form, as the user typed it', async () => {
    // npm exec (npx) sets npm_command=exec for the command it starts.
    const npx = await shell('npm_command=exec openport-conform run --only AUTHN-004 --fault authn-revocation-cache --seed 12 --reporter pretty', {}, false);
    expect(reproduceLines(npx.text)[0]).toMatch(/^npx openport-conform run --profile state-witness --only AUTHN-004 --seed 12/);
  }, 120_000);
});
