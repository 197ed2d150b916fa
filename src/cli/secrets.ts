/**
 * Where the agent token and admin headers come from. Flags on argv are visible in `ps` and shell history,
 * so both may also come from a file (--token-file, --admin-header-file) or an environment variable
 * (OPENPORT_CONFORM_TOKEN, OPENPORT_CONFORM_ADMIN_HEADERS). Precedence: flag, then file, then environment;
 * a flag and a file for the same secret is a usage error (exit 2) rather than a silent choice.
 */
import { readFileSync } from 'node:fs';
import { ToolError } from '../kit/check.js';
import { ADMIN_HEADERS_ENV, flagOf, parseAdminHeader, TOKEN_ENV, type RunOptionValues } from '../runner/options.js';

export { ADMIN_HEADERS_ENV, TOKEN_ENV };

/** The credential options of the table (src/runner/options.ts). */
export type SecretFlags = Pick<RunOptionValues, 'token' | 'tokenFile' | 'adminHeader' | 'adminHeaderFile'>;

const TOKEN = flagOf('token');
const TOKEN_FILE = flagOf('tokenFile');
const ADMIN_HEADER = flagOf('adminHeader');
const ADMIN_HEADER_FILE = flagOf('adminHeaderFile');

function readSecretFile(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ToolError(`${flag} ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 2);
  }
}

/** 'Name: value' lines; blank lines and lines starting with # are ignored. `where(n)` names line n in errors. */
export function parseHeaderLines(text: string, where: (line: number) => string): Record<string, string> {
  let out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      out = parseAdminHeader(line, out);
    } catch (e) {
      // Never echo the line: it is a secret.
      throw new ToolError(`${where(i + 1)}: ${(e as Error).message}`, 2);
    }
  });
  return out;
}

function nonEmptyToken(value: string, where: string): string {
  const token = value.trim();
  // The scheme is the tool's to add (Authorization: Bearer <token>); said, since it is the usual paste.
  if (/^bearer\s+\S+$/i.test(token)) throw new ToolError(`${where}: give the token without its "Bearer " scheme (the tool sends Authorization: Bearer <token>)`, 2);
  if (token === '' || /\s/.test(token)) throw new ToolError(`${where}: expected one token (no spaces), got ${token === '' ? 'nothing' : 'several words'}`, 2);
  return token;
}

/** The token and admin headers of a run, from flags, files or the environment. */
export function resolveSecrets(flags: SecretFlags, env: NodeJS.ProcessEnv = process.env): { token?: string; adminHeaders?: Record<string, string> } {
  if (flags.token !== undefined && flags.tokenFile !== undefined) throw new ToolError(`${TOKEN} and ${TOKEN_FILE} both given; use one`, 2);
  if (flags.adminHeader !== undefined && flags.adminHeaderFile !== undefined) throw new ToolError(`${ADMIN_HEADER} and ${ADMIN_HEADER_FILE} both given; use one`, 2);
  let token = flags.token === undefined ? undefined : nonEmptyToken(flags.token, TOKEN);
  if (token === undefined && flags.tokenFile !== undefined) token = nonEmptyToken(readSecretFile(flags.tokenFile, TOKEN_FILE), `${TOKEN_FILE} ${flags.tokenFile}`);
  if (token === undefined && env[TOKEN_ENV] !== undefined && env[TOKEN_ENV] !== '') token = nonEmptyToken(env[TOKEN_ENV]!, `environment variable ${TOKEN_ENV}`);
  let adminHeaders = flags.adminHeader;
  if (adminHeaders === undefined && flags.adminHeaderFile !== undefined) {
    const file = flags.adminHeaderFile;
    adminHeaders = parseHeaderLines(readSecretFile(file, ADMIN_HEADER_FILE), (n) => `${ADMIN_HEADER_FILE} ${file}:${n}`);
  }
  if (adminHeaders === undefined && env[ADMIN_HEADERS_ENV]) {
    adminHeaders = parseHeaderLines(env[ADMIN_HEADERS_ENV]!, (n) => `environment variable ${ADMIN_HEADERS_ENV}, line ${n}`);
  }
  return { token, adminHeaders: adminHeaders && Object.keys(adminHeaders).length > 0 ? adminHeaders : undefined };
}
