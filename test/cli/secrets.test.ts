import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_HEADERS_ENV, resolveSecrets, TOKEN_ENV } from '../../src/cli/secrets.js';
import { toolErrorOf } from '../runner/fakes.js';

const dir = mkdtempSync(join(tmpdir(), 'opc-secrets-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('secrets from flags, files and the environment', () => {
  it('reads the token and admin headers from files', () => {
    const tokenFile = file('token', 'op_fromfile\n');
    const headerFile = file('headers', '# admin plane\nauthorization: Bearer adm_1\n\nx-admin-user: ops\n');
    expect(resolveSecrets({ tokenFile, adminHeaderFile: headerFile }, {})).toEqual({ token: 'op_fromfile', adminHeaders: { authorization: 'Bearer adm_1', 'x-admin-user': 'ops' } });
  });

  it('falls back to the documented environment variables; flags win over them', () => {
    const env = { [TOKEN_ENV]: 'op_env', [ADMIN_HEADERS_ENV]: 'x-admin-user: admin_demo\nauthorization: Bearer adm_2' };
    expect(resolveSecrets({}, env)).toEqual({ token: 'op_env', adminHeaders: { 'x-admin-user': 'admin_demo', authorization: 'Bearer adm_2' } });
    expect(resolveSecrets({ token: 'op_flag', adminHeader: { a: 'b' } }, env)).toEqual({ token: 'op_flag', adminHeaders: { a: 'b' } });
  });

  it('refuses a flag and a file for the same secret, an unreadable file and a bad line (exit 2, the value never echoed)', () => {
    expect(toolErrorOf(() => resolveSecrets({ token: 'a', tokenFile: 'b' }, {})).exitCode).toBe(2);
    const missing = toolErrorOf(() => resolveSecrets({ tokenFile: join(dir, 'nope') }, {}));
    expect(missing.message).toContain('--token-file');
    expect(missing.exitCode).toBe(2);
    const bad = toolErrorOf(() => resolveSecrets({ adminHeaderFile: file('bad', 'ok: 1\nsupersecretvalue\n') }, {}));
    expect(bad.message).toContain(':2');
    expect(bad.message).not.toContain('supersecretvalue');
    expect(toolErrorOf(() => resolveSecrets({ tokenFile: file('two', 'a b') }, {})).message).toContain('several words');
  });

  it('refuses a token given with its "Bearer " scheme, from a flag, a file or the environment alike, and never echoes it', () => {
    for (const [flags, env, where] of [
      [{ token: 'Bearer op_secretvalue' }, {}, '--token'],
      [{ tokenFile: file('bearer', 'bearer op_secretvalue\n') }, {}, '--token-file'],
      [{}, { [TOKEN_ENV]: 'Bearer op_secretvalue' }, `environment variable ${TOKEN_ENV}`],
    ] as const) {
      const e = toolErrorOf(() => resolveSecrets(flags, env));
      expect(e.exitCode).toBe(2);
      expect(e.message).toMatch(new RegExp(`^${where}.*: give the token without its "Bearer " scheme`));
      expect(e.message).not.toContain('op_secretvalue');
    }
    expect(toolErrorOf(() => resolveSecrets({ token: 'op_a op_b' }, {})).message).toBe('--token: expected one token (no spaces), got several words');
  });
});
