/** A release tree with one planted secret of each kind, built at test time (the secrets are split so this file is clean). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { createRuntime } from '../../src/runtime/index.js';

// No placeholder word in it (EXAMPLE, SAMPLE, …): such a value is a stand-in, not a finding.
export const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfi' + 'Cq8Rt2Lm9Vz4';
/** Credentials exactly as the reference runtime mints them. */
const minted = createRuntime({});
export const AGENT_TOKEN = minted.bootstrap.agentToken;
export const ADMIN_TOKEN = minted.adminHeaders.authorization!.replace(/^Bearer /, '');
const PEM = ['-----BEGIN RSA ' + 'PRIVATE KEY-----', 'MIIEpAIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aumYAbM8GbQ/q6V4yp8VZlt4L+', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab', '-----END RSA PRIVATE KEY-----', ''].join('\n');
export const MARKER = { name: 'internal-host', pattern: '\\b[a-z0-9-]+\\.corp\\.internal\\b' };

/** Where each plant is: the rule that must find it, and its file and line. */
export const PLANTED = [
  { ruleId: 'GATE-007', file: 'src/config.js', line: 3 },
  { ruleId: 'GATE-010', file: 'keys/deploy.pem', line: 1 },
  { ruleId: 'GATE-009', file: '.env', line: 1 },
  { ruleId: 'GATE-008', file: 'src/client.ts', line: 2 },
  { ruleId: 'GATE-008', file: 'docs/ops.md', line: 4 },
  { ruleId: 'GATE-011', file: 'README.md', line: 2 },
  { ruleId: 'GATE-012', file: 'db/dump.sql', line: 1 },
];

const CLEAN: Record<string, string> = {
  'src/config.js': '// configuration\nexport const region = "eu-west-1";\nconst secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;\n',
  'src/client.ts': "const a = 1;\nconst token = process.env.OPENPORT_TOKEN; // e.g. op_…\n",
  'docs/ops.md': '# Operations\n\nThe admin token is adm_… (prefix only).\nAsk the on-call engineer.\n',
  'README.md': '# Release\nTalk to the billing team for access.\n',
  'db/schema.sql': 'CREATE TABLE users (id int);\n',
  '.env.example': 'DATABASE_URL=\n',
};

const DIRTY: Record<string, string> = {
  'src/config.js': `// configuration\nexport const region = "eu-west-1";\nconst AWS_SECRET_ACCESS_KEY = "${AWS_SECRET}";\n`,
  'src/client.ts': `const a = 1;\n  const token = '${AGENT_TOKEN}';\n`,
  'docs/ops.md': `# Operations\n\nThe admin token is adm_… (prefix only).\nexport OPENPORT_ADMIN=${ADMIN_TOKEN}\n`,
  'README.md': '# Release\nTalk to billing.corp.internal for access.\n',
  'keys/deploy.pem': PEM,
  '.env': 'DATABASE_URL=postgres://app@db/app\n',
  'db/dump.sql': '-- PostgreSQL database dump\nCOPY users (id) FROM stdin;\n1\n',
};

function write(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** A directory with the clean files, a binary logo, and (dirty) every plant. */
export function plantTree(dirty: boolean, git = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'opc-tree-'));
  write(dir, { ...CLEAN, ...(dirty ? DIRTY : {}), 'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]) });
  if (git) {
    const g = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'pipe' });
    g('init', '-q');
    g('add', '-A');
    g('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'tree');
  }
  return dir;
}
